import { openDemoTabs, playScriptedCall } from '../demo/scripted-call';
import { expect, test } from './fixtures';

test('a customer browses the shop, then calls: the CRM sidebar shows who and what they just did', async ({
  extension,
  stack,
}) => {
  const tabs = await openDemoTabs(extension, stack.demo.url);
  await expect(tabs.sidebar.getByText('Waiting for a call.')).toBeVisible();

  await playScriptedCall(tabs);

  const { sidebar } = tabs;
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(sidebar.getByText("This is Marco Rossi's customer")).toBeVisible();
  await expect(
    // The latest case itself (its title also stands in the contact history, after "Case opened").
    sidebar.getByText('CAS-1042: Espresso Pro arrived with a cracked drip tray', { exact: true }),
  ).toBeVisible();
  const activity = sidebar.getByRole('list', { name: 'Recent web activity' }).getByRole('listitem');
  // Newest first: the returns page she read last, then the cart add made seconds before calling.
  await expect(activity.first()).toContainText('Returns and replacements');
  await expect(activity.nth(1)).toContainText('Drip tray for Espresso Pro');
  await expect(activity.nth(1)).toContainText('Added to cart');
  await expect(activity.nth(1)).toContainText('£19.00');
  await expect(sidebar.getByRole('status').filter({ hasText: 'On call' })).toBeVisible();
});
