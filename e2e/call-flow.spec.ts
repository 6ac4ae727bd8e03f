import { expect, sidebarFrame, test } from './fixtures';

test('a ringing softphone pops the caller with their storefront activity in the CRM sidebar', async ({
  extension: browser,
  stack,
}) => {
  const crm = await browser.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByText('Waiting for a call.')).toBeVisible();

  const softphone = await browser.context.newPage();
  await softphone.goto(`${stack.demo.url}/softphone`);
  await softphone.evaluate(() => window.softphone.ring('+44 20 7946 0123'));

  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(sidebar.getByText('Drip tray for Espresso Pro')).toBeVisible();
});
