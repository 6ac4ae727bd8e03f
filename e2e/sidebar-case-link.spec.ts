import { expect, ring, sidebarFrame, test } from './fixtures';
import { CrmPage } from './pages/crm.page';

// Jane Doe (demo seed): her latest case is case-5001, CAS-1042.
const JANE = '+44 20 7946 0123';
const LATEST_CASE = 'Espresso Pro arrived with a cracked drip tray';
const LATEST_CASE_LINK = `CAS-1042: ${LATEST_CASE}`;

test("the latest case's link opens the case in the CRM tab itself, by keyboard", async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ crmActions: { openCase: `${stack.demo.url}/crm#/case/{id}` } });
  const crm = new CrmPage(await extension.context.newPage(), stack.demo.url);
  await crm.goto('/crm#/contacts');
  const sidebar = await crm.sidebar();
  await ring(await extension.context.newPage(), stack.demo.url, JANE);
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();

  const latest = sidebar.getByRole('region', { name: 'Latest case' });
  await expect(latest).toContainText('Open');
  const link = latest.getByRole('link');
  await expect(link).toHaveAccessibleName(LATEST_CASE_LINK);
  await expect(link).toHaveAttribute('href', `${stack.demo.url}/crm#/case/case-5001`);
  const tabs = extension.context.pages().length;

  await crm.page.bringToFront();
  await link.focus();
  await expect(link).toBeFocused();
  await crm.page.keyboard.press('Enter');

  const record = crm.caseRecord(LATEST_CASE);
  await expect(record).toBeVisible();
  await expect(record).toHaveAttribute('data-record-id', 'case-5001');
  await expect(record).toContainText('CAS-1042');
  await expect(record).toContainText('Open');
  await expect(record.getByRole('link', { name: 'Jane Doe' })).toHaveAttribute(
    'href',
    '#/contact/cust-1001',
  );
  expect(new URL(crm.page.url()).hash).toBe('#/case/case-5001');
  await expect(crm.page).toHaveTitle(`CAS-1042: ${LATEST_CASE} · Northwind CRM`);
  // In the CRM tab itself, not a new one; the sidebar stays with the call.
  expect(extension.context.pages().length).toBe(tabs);
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
});

test('a case link built from the case number opens the same case on click', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ crmActions: { openCase: `${stack.demo.url}/crm#/case/{number}` } });
  const crm = new CrmPage(await extension.context.newPage(), stack.demo.url);
  await crm.goto();
  const sidebar = await sidebarFrame(crm.page);
  await ring(await extension.context.newPage(), stack.demo.url, JANE);
  const link = sidebar.getByRole('region', { name: 'Latest case' }).getByRole('link');
  await expect(link).toHaveAccessibleName(LATEST_CASE_LINK);
  const tabs = extension.context.pages().length;

  await link.click();

  await expect(crm.caseRecord(LATEST_CASE)).toHaveAttribute('data-record-id', 'case-5001');
  expect(new URL(crm.page.url()).hash).toBe('#/case/CAS-1042');
  expect(extension.context.pages().length).toBe(tabs);
});

test("the CRM's own case list opens a case; an unknown case says so", async ({
  extension,
  stack,
}) => {
  const crm = new CrmPage(await extension.context.newPage(), stack.demo.url);
  await crm.goto('/crm#/cases');
  await crm.openCase('Change of delivery address');
  const record = crm.caseRecord('Change of delivery address');
  await expect(record).toContainText('CAS-0877');
  await expect(record).toContainText('Resolved');
  // From the case to its customer and back through the contact's own case list.
  await record.getByRole('link', { name: 'Jane Doe' }).click();
  await expect(crm.page.getByRole('heading', { level: 1, name: 'Jane Doe' })).toBeVisible();
  await crm.page.getByRole('main').getByRole('link', { name: LATEST_CASE }).click();
  await expect(crm.caseRecord(LATEST_CASE)).toBeVisible();

  await crm.goto('/crm#/case/case-0000');
  await expect(crm.page.getByRole('heading', { level: 1, name: 'No such case' })).toBeVisible();
  await expect(crm.page.getByRole('alert')).toContainText('case-0000');
  await expect(crm.page.getByRole('main').getByRole('link', { name: 'All cases' })).toBeVisible();
});
