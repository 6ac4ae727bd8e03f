import { expect, sidebarFrame, test } from './fixtures';
import { CrmPage } from './pages/crm.page';
import { SoftphonePage } from './pages/softphone.page';

test('a second caller ringing during a call shows as waiting, reachable by keyboard, and takes over when the first call ends', async ({
  extension,
  stack,
}) => {
  const line1 = new SoftphonePage(await extension.context.newPage(), stack.demo.url);
  await line1.goto();
  const line2 = new SoftphonePage(await extension.context.newPage(), stack.demo.url);
  await line2.goto();
  const crm = new CrmPage(await extension.context.newPage(), stack.demo.url);
  await crm.goto('/crm');
  const sidebar = await sidebarFrame(crm.page);

  await line1.ringAs('Luis García');
  await line1.answer();
  await expect(sidebar.getByRole('heading', { name: 'Luis García' })).toBeVisible();
  const waiting = sidebar.getByRole('status', { name: 'Waiting calls' });
  await expect(waiting).toHaveCount(0);

  await line2.ringAs('Jane Doe');
  await expect(waiting).toContainText('Another call is waiting: Jane Doe (+442079460123)');
  // The agent stays on Luis's call: the waiting caller never takes the sidebar's place.
  await expect(sidebar.getByRole('heading', { name: 'Luis García' })).toBeVisible();

  // Keyboard users reach the notice with Tab from the top of the sidebar.
  await sidebar.locator('h1').click();
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await crm.page.keyboard.press('Tab');
    reached = await waiting.evaluate((el) => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active === el;
    });
  }
  expect(reached).toBe(true);

  // The first call ends: the ringing caller is the one the sidebar shows, with no notice.
  await line1.hangUp();
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(waiting).toHaveCount(0);
});
