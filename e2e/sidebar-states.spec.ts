import { expect, ring, sidebarFrame, test } from './fixtures';

test('an unknown number says "Unknown caller"', async ({ extension, stack }) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0000');
  await expect(sidebar.getByText('Unknown caller')).toBeVisible();
});

test('a number two customers share shows a picker, and nothing as fact until the agent picks', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '020 7946 0456');
  await expect(sidebar.getByRole('button', { name: 'Tom Baker' })).toBeVisible();
  await expect(sidebar.getByRole('button', { name: 'Tessa Baker' })).toBeVisible();
  await expect(sidebar.getByRole('heading', { name: 'Tessa Baker' })).toHaveCount(0);
  await sidebar.getByRole('button', { name: 'Tessa Baker' }).click();
  await expect(sidebar.getByRole('heading', { name: 'Tessa Baker' })).toBeVisible();
});

test('text that is not a phone number is refused with a reason, not looked up', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '12');
  await expect(sidebar.getByRole('alert')).toContainText(
    '“12” is not a phone number or email address this browser can look up.',
  );
});

test('a gateway that cannot be reached is reported in the sidebar', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ gatewayUrl: 'http://127.0.0.1:9' });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('alert')).toContainText('Cannot reach the gateway');
});

test('a wrong gateway token is reported as a refused sign-in', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ gatewayToken: 'not-the-token' });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('alert')).toContainText('refused our sign-in');
});

test('a call survives the service worker being stopped mid-call', async ({ extension, stack }) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  let sidebar = await sidebarFrame(crm);
  const softphone = await extension.context.newPage();
  await ring(softphone, stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();

  const worker = await extension.serviceWorker();
  const marker = () => {
    const g = globalThis as { testBootMarker?: number };
    g.testBootMarker ??= Math.random();
    return g.testBootMarker;
  };
  const before = await worker.evaluate(marker);
  await extension.stopServiceWorker();

  // A fresh sidebar can only learn of the call from the restarted worker, which reads IndexedDB.
  await crm.reload();
  sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  expect(await worker.evaluate(marker)).not.toBe(before);

  // The call goes on: answering it after the restart moves the same session forward.
  await softphone.evaluate(() => window.softphone.answer());
  await expect(sidebar.getByRole('status').filter({ hasText: 'On call' })).toBeVisible();
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
});
