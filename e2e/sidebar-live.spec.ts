import AxeBuilder from '@axe-core/playwright';
import { EXTENSION_ID } from '../demo/chromium';
import { DEMO_COLLECT_TOKEN } from '../demo/stack';
import { expect, ring, sidebarFrame, test } from './fixtures';

test('web activity that happens during the call appears in the sidebar without a reload', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(sidebar.getByText('Descaling kit')).toHaveCount(0);

  // The customer keeps browsing while on the phone.
  const response = await fetch(`${stack.gateway.url}/v1/collect`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_COLLECT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      identity: 'email:jane.doe@example.com',
      events: [
        {
          type: 'product_view',
          title: 'Descaling kit',
          url: '/shop/product/descaler',
          value: 12,
          currency: 'GBP',
        },
      ],
    }),
  });
  expect(response.status).toBe(202);
  const activity = sidebar.getByRole('list', { name: 'Recent web activity' }).getByRole('listitem');
  await expect(activity.first()).toContainText('Descaling kit');
  await expect(sidebar.locator('.freshness')).toContainText('Updated');
});

test('insights read the activity: the returns policy read again', async ({ extension, stack }) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  const insights = sidebar.getByRole('region', { name: 'Why they may be calling' });
  // Other tests on this worker's gateway may add visits of their own: two at least.
  await expect(insights).toContainText(/Read the returns policy [2-9] times/);

  // The agent can check a reading: it opens (from the keyboard) to the events it rests on.
  const reading = insights.locator('summary', { hasText: /Read the returns policy/ });
  const evidence = insights.getByRole('list', { name: 'Based on these events' });
  await expect(evidence).toBeHidden();
  await reading.focus();
  await crm.keyboard.press('Enter');
  await expect(evidence).toBeVisible();
  const lines = evidence.getByRole('listitem');
  expect(await lines.count()).toBeGreaterThanOrEqual(2);
  for (const line of await lines.all()) await expect(line).toContainText('Returns');
});

test('a customer who denied personalisation: no web activity and no insights shown', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+34 612 34 56 78');
  await expect(sidebar.getByRole('heading', { name: 'Luis García' })).toBeVisible();
  // Both the web activity and the contact history say so (consent rules apply to both).
  await expect(
    sidebar.getByText('Not shown: the customer has not consented to personalisation.'),
  ).toHaveCount(2);
  await expect(sidebar.getByText('My orders')).toHaveCount(0);
  await expect(sidebar.getByRole('list', { name: 'Recent web activity' })).toHaveCount(0);
});

test('the sidebar has no accessibility violations with a caller shown (axe-core)', async ({
  extension,
  stack,
}) => {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/sidebar.html`);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(page.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
});

test("a shared number: once the agent picks Tessa, her activity arrives live, never Tom's", async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  let sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '020 7946 0456');
  await sidebar.getByRole('button', { name: 'Tessa Baker' }).click();
  await expect(sidebar.getByRole('heading', { name: 'Tessa Baker' })).toBeVisible();

  const collect = (email: string, title: string) =>
    fetch(`${stack.gateway.url}/v1/collect`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${DEMO_COLLECT_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        identity: `email:${email}`,
        events: [{ type: 'product_view', title, url: '/shop/product/x' }],
      }),
    });
  // Tom browses first, then Tessa: only Tessa's line may reach her card.
  expect((await collect('tom.baker@example.com', 'Grinder burr set')).status).toBe(202);
  expect((await collect('tessa.baker@example.com', 'Travel mug')).status).toBe(202);
  const activity = sidebar.getByRole('list', { name: 'Recent web activity' });
  await expect(activity.getByText('Travel mug')).toBeVisible();
  await expect(sidebar.getByText('Grinder burr set')).toHaveCount(0);

  // The pick is kept with the call: a reloaded CRM page shows Tessa, picked.
  await crm.reload();
  sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByRole('button', { name: 'Tessa Baker' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(sidebar.getByRole('heading', { name: 'Tessa Baker' })).toBeVisible();
});
