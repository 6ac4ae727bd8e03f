import type { Frame, Locator } from '@playwright/test';
import { expect, sidebarFrame, test } from './fixtures';

/** Presses Tab until `target` has focus, as a keyboard-only agent would. */
async function tabTo(frame: Frame, target: Locator, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el.matches(':focus'))) return;
    await frame.page().keyboard.press('Tab');
  }
  throw new Error('Tab never reached the control');
}

test('a wrap-up done by keyboard alone survives closing the CRM tab, then logs the call', async ({
  extension,
  stack,
}) => {
  let crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  let sidebar = await sidebarFrame(crm);
  const softphone = await extension.context.newPage();
  await softphone.goto(`${stack.demo.url}/softphone`);
  await softphone.evaluate(() => window.softphone.ring('+44 20 7946 0123'));
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await softphone.evaluate(() => window.softphone.answer());
  // On demand during the call.
  await crm.bringToFront();
  await sidebar.locator('body').focus();
  await tabTo(sidebar, sidebar.getByRole('button', { name: 'Wrap up now' }));
  await crm.keyboard.press('Enter');
  const disposition = sidebar.getByLabel('Disposition');
  await expect(disposition).toBeVisible();
  await tabTo(sidebar, disposition);
  await crm.keyboard.press('ArrowDown');
  await expect(disposition).toHaveValue('resolved');
  await crm.keyboard.press('Tab');
  await expect(sidebar.getByLabel('Notes')).toBeFocused();
  await crm.keyboard.type('Sent a replacement drip tray');
  await softphone.evaluate(() => window.softphone.hangUp());
  await expect(sidebar.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
  // Give the typed note its draft save, then close the tab.
  await crm.waitForTimeout(1000);
  await crm.close();

  crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByLabel('Notes')).toHaveValue('Sent a replacement drip tray');
  await expect(sidebar.getByLabel('Disposition')).toHaveValue('resolved');
  await expect(sidebar.getByText('Jane Doe (demo)')).toBeVisible();

  await sidebar.locator('body').focus();
  await tabTo(sidebar, sidebar.getByRole('button', { name: 'Log call' }));
  await crm.keyboard.press('Enter');
  await expect(sidebar.getByText('Saved. The call is logged')).toBeVisible();
  await expect(sidebar.getByRole('region', { name: 'Outbox' })).toContainText(
    '0 pending · 1 sent · 0 failed',
  );
});
