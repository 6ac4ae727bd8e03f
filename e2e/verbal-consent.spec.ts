import AxeBuilder from '@axe-core/playwright';
import type { Locator } from '@playwright/test';
import { EXTENSION_ID } from '../demo/chromium';
import { DEMO_COLLECT_TOKEN, type DemoStack } from '../demo/stack';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { expect, ring, sidebarFrame, test } from './fixtures';

const PROMPT =
  'Ask the caller: may we look at their recent visit to our site to help with this call?';
/** Longer than two of the sidebar's live-update periods (2 s each). */
const SEVERAL_LIVE_PERIODS_MS = 5000;

/** What the storefront sends for a visitor who typed their phone number (POST /v1/collect). */
async function visitUnderNumber(stack: DemoStack, phone: string, title: string): Promise<void> {
  const response = await fetch(`${stack.gateway.url}/v1/collect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_COLLECT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      identity: `phone:${phone}`,
      events: [
        { type: 'product_view', title, url: '/shop/product/frother', value: 89, currency: 'GBP' },
      ],
    }),
  });
  expect(response.status).toBe(202);
}

const activityRequests = (proxy: FaultProxy) =>
  proxy.requests.filter((line) => line.includes('/v1/activity'));

/** Tabs through the page until `target` has the focus, as an agent at the keyboard would. */
async function tabTo(target: Locator, presses = 15): Promise<void> {
  const page = target.page();
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el.matches(':focus-visible'))) return;
  }
  throw new Error(`${presses} presses of Tab did not reach the button`);
}

let proxy: FaultProxy;
test.beforeEach(async ({ stack, configure }) => {
  // Every request the extension makes to the gateway passes here, where the test can read it.
  proxy = await startFaultProxy(stack.gateway.url);
  await configure({ gatewayUrl: proxy.url, requireVerbalConsent: true });
});
test.afterEach(async () => {
  await proxy.close();
});

test('an anonymous caller: only the number is looked up until they agree, then their visit shows and keeps up', async ({
  extension,
  stack,
}) => {
  await visitUnderNumber(stack, '+442079460777', 'Milk frother');
  const sidebar = await extension.context.newPage();
  await sidebar.goto(`chrome-extension://${EXTENSION_ID}/sidebar.html`);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0777');

  await expect(sidebar.getByText('Unknown caller')).toBeVisible();
  await expect(sidebar.getByText(PROMPT)).toBeVisible();
  const results = await new AxeBuilder({ page: sidebar }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);

  // The sidebar's live updates would have asked several times by now; nothing asked.
  await sidebar.waitForTimeout(SEVERAL_LIVE_PERIODS_MS);
  expect(proxy.requests.filter((line) => line.startsWith('GET /v1/context'))).toHaveLength(1);
  expect(activityRequests(proxy)).toEqual([]);
  await expect(sidebar.getByText('Milk frother')).toHaveCount(0);
  await expect(sidebar.getByRole('heading', { name: 'Web activity for this number' })).toHaveCount(
    0,
  );

  const agreed = sidebar.getByRole('button', { name: 'Caller agreed' });
  await tabTo(agreed);
  await sidebar.keyboard.press('Enter');

  await expect(sidebar.getByRole('status').filter({ hasText: 'The caller agreed.' })).toBeVisible();
  const visit = sidebar
    .getByRole('region', { name: 'Web activity for this number' })
    .getByRole('list', { name: 'Recent web activity' })
    .getByRole('listitem');
  await expect(visit.first()).toContainText('Milk frother');
  expect(activityRequests(proxy)[0]).toContain('identity=phone%3A%2B442079460777');

  // Live, like a known caller: the visitor keeps browsing during the call.
  await visitUnderNumber(stack, '+442079460777', 'Descaling kit');
  await expect(visit.first()).toContainText('Descaling kit');

  const options = await extension.context.newPage();
  await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
  const audit = options.getByRole('region', { name: 'Lookups from this browser' });
  const consentRow = audit.getByRole('row').filter({ hasText: "Caller's permission" });
  await expect(consentRow).toHaveCount(1);
  await expect(consentRow).toContainText('phone:+442079460777');
  await expect(consentRow).toContainText('agreed (web activity looked up)');
  await expect(consentRow).toContainText('this browser');
});

test('"Caller declined": the sidebar says so, keeps it across a worker stop, and nothing past the number is asked for the rest of the call', async ({
  extension,
  stack,
}) => {
  await visitUnderNumber(stack, '+442079460778', 'Milk frother');
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  let sidebar = await sidebarFrame(crm);
  const softphone = await extension.context.newPage();
  await ring(softphone, stack.demo.url, '+44 20 7946 0778');

  await sidebar.getByRole('button', { name: 'Caller declined' }).click();
  const declined = 'The caller declined. Nothing else will be looked up for this call.';
  await expect(sidebar.getByRole('status').filter({ hasText: declined })).toBeVisible();
  await expect(sidebar.getByRole('button', { name: 'Caller agreed' })).toHaveCount(0);

  // The answer is kept with the call: a stopped worker and a fresh sidebar still know it.
  await extension.stopServiceWorker();
  await crm.reload();
  sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByRole('status').filter({ hasText: declined })).toBeVisible();
  await expect(sidebar.getByRole('button', { name: 'Caller agreed' })).toHaveCount(0);

  // The call is answered and goes on: still nothing asked of the gateway about the visitor.
  await softphone.evaluate(() => window.softphone.answer());
  await expect(sidebar.getByRole('status').filter({ hasText: 'On call' })).toBeVisible();
  await crm.waitForTimeout(SEVERAL_LIVE_PERIODS_MS);
  expect(activityRequests(proxy)).toEqual([]);
  await expect(sidebar.getByText('Milk frother')).toHaveCount(0);
});
