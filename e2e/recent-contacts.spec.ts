import AxeBuilder from '@axe-core/playwright';
import type { Frame, Locator } from '@playwright/test';
import { EXTENSION_ID } from '../demo/chromium';
import { expect, ring, sidebarFrame, test } from './fixtures';

const JANE = '+44 20 7946 0123';
const NOTE = 'Replacement drip tray posted; call back on Friday';

/** Presses Tab until `target` has focus, as a keyboard-only agent would. */
async function tabTo(frame: Frame, target: Locator, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el.matches(':focus'))) return;
    await frame.page().keyboard.press('Tab');
  }
  throw new Error('Tab never reached the control');
}

test("a logged call shows under Recent contacts at the customer's next call", async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  const softphone = await extension.context.newPage();
  await softphone.goto(`${stack.demo.url}/softphone`);

  // The first call: answered, ended, logged with a result and a note.
  await softphone.evaluate((number) => window.softphone.ring(number), JANE);
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await softphone.evaluate(() => window.softphone.answer());
  await softphone.evaluate(() => window.softphone.hangUp());
  await sidebar.getByLabel('Disposition').selectOption('follow_up');
  await sidebar.getByLabel('Notes').fill(NOTE);
  await sidebar.getByRole('button', { name: 'Log call' }).click();
  await expect(sidebar.getByText('Saved. The call is logged')).toBeVisible();

  // Her next call: the first one is the newest line of her history, before any platform has it.
  await softphone.evaluate((number) => window.softphone.ring(number), JANE);
  await expect(sidebar.getByRole('status').filter({ hasText: 'Ringing' })).toBeVisible();
  const history = sidebar.getByRole('region', { name: 'Recent contacts' });
  const newest = history.getByRole('listitem').first();
  await expect(newest).toContainText('Incoming call');
  await expect(newest).toContainText('Follow-up needed');
  await expect(newest).toContainText(NOTE);
  await expect(newest).toContainText('Logged from this browser');
  // The CRM's own earlier contacts follow.
  await expect(history.getByRole('listitem').nth(1)).toContainText(
    'Photo of the cracked drip tray',
  );

  // By keyboard alone: the older part of the history opens from its button.
  await crm.bringToFront();
  await sidebar.locator('body').focus();
  const more = history.getByRole('button', { name: /^Show \d+ more$/ });
  await tabTo(sidebar, more);
  await crm.keyboard.press('Enter');
  await expect(history.getByRole('button', { name: 'Show fewer' })).toHaveAttribute(
    'aria-expanded',
    'true',
  );
  await expect(history).toContainText('Change of delivery address');
});

test('Recent contacts has no accessibility violations (axe-core)', async ({ extension, stack }) => {
  const page = await extension.context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/sidebar.html`);
  await ring(await extension.context.newPage(), stack.demo.url, JANE);
  await expect(page.getByRole('region', { name: 'Recent contacts' })).toBeVisible();
  await page.getByRole('button', { name: /^Show \d+ more$/ }).click();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
});
