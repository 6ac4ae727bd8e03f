import { EXTENSION_ID } from '../demo/chromium';
import { expect, ring, sidebarFrame, test } from './fixtures';

const OPTIONS_URL = `chrome-extension://${EXTENSION_ID}/options.html`;

test('each lookup is in the audit list on the options page, without profile data, until cleared', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0000');
  await expect(sidebar.getByText('Unknown caller')).toBeVisible();

  const page = await extension.context.newPage();
  await page.goto(OPTIONS_URL);
  const audit = page.getByRole('region', { name: 'Lookups from this browser' });
  const rows = audit.getByRole('table').getByRole('row');
  // A header row and one row per lookup, newest first.
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('phone:+442079460000');
  await expect(rows.nth(2)).toContainText('phone:+442079460123');
  await expect(rows.nth(2)).toContainText('this browser');
  await expect(rows.nth(2)).toContainText('Incoming call');
  await expect(audit).not.toContainText('Jane Doe');

  await page.getByRole('button', { name: 'Clear my local data' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toBeVisible();
  await audit.getByRole('button', { name: 'Refresh' }).click();
  await expect(audit.getByText('No lookups yet.')).toBeVisible();
});
