import { expect, ring, sidebarFrame, test } from './fixtures';

test('an unknown caller: "Search the CRM for this number" opens the search in the CRM tab', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({
    crmActions: {
      search: `${stack.demo.url}/crm#/search?q={phone}`,
      createContact: `${stack.demo.url}/crm?phone={phone}`,
    },
  });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0000');
  await expect(sidebar.getByText('Unknown caller')).toBeVisible();
  await expect(sidebar.getByRole('link', { name: 'Create a contact' })).toHaveAttribute(
    'href',
    `${stack.demo.url}/crm?phone=%2B442079460000`,
  );
  const tabs = extension.context.pages().length;

  await sidebar.getByRole('link', { name: 'Search the CRM for this number' }).click();
  await expect(crm.getByRole('heading', { level: 1, name: 'Search: +442079460000' })).toBeVisible();
  // In the CRM tab itself, not a new one; and the sidebar stays with the call.
  expect(extension.context.pages().length).toBe(tabs);
  await expect(sidebar.getByText('Unknown caller')).toBeVisible();
});

test('without CRM URL templates an unknown caller gets no CRM actions', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0000');
  await expect(sidebar.getByText('Unknown caller')).toBeVisible();
  await expect(sidebar.getByRole('link')).toHaveCount(0);
});

test("a known caller's record opens in the CRM tab (screen pop)", async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ crmActions: { openContact: `${stack.demo.url}/crm#/contact/{id}` } });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await sidebar.getByRole('link', { name: 'Open in the CRM' }).click();
  await expect(crm.getByRole('heading', { level: 1, name: 'Jane Doe' })).toBeVisible();
  expect(crm.url()).toContain('#/contact/');
});
