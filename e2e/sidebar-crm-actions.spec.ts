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

test('an unknown caller: "Create a case" opens the CRM\'s new-case form with the number, by keyboard', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ crmActions: { createCase: `${stack.demo.url}/crm#/new-case?phone={phone}` } });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0000');
  await expect(sidebar.getByText('Unknown caller')).toBeVisible();
  // Only the action the admin configured is offered.
  await expect(sidebar.getByRole('link', { name: 'Create a contact' })).toHaveCount(0);
  const createCase = sidebar.getByRole('link', { name: 'Create a case' });
  await createCase.focus();
  await crm.keyboard.press('Enter');
  await expect(crm.getByRole('heading', { level: 1, name: 'New case' })).toBeVisible();
  await expect(crm.getByLabel("Caller's number")).toHaveValue('+442079460000');
  await crm.getByLabel('Subject').fill('Asks about a delivery');
  await crm.getByRole('button', { name: 'Create case' }).click();
  await expect(crm.getByRole('status')).toContainText('Asks about a delivery');
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
