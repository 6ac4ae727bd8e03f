import { expect, ring, sidebarFrame, test } from './fixtures';

test('without personalisation consent the activity is withheld in the background and masked as a count', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+34 612 34 56 78');
  await expect(sidebar.getByRole('heading', { name: 'Luis García' })).toBeVisible();
  // The web activity's notice counts what it hides (the contact history has a notice of its own).
  await expect(
    sidebar.locator('.withheld').filter({ hasText: /\d+ events? hidden \(no consent\)/ }),
  ).toHaveCount(1);
  await expect(sidebar.getByText('My orders')).toHaveCount(0);

  // What the background keeps for the pages (and sends them) holds the count, not the events.
  const worker = await extension.serviceWorker();
  const stored = await worker.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('caller-context');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('calls').objectStore('calls').getAll();
          request.onsuccess = () => resolve(JSON.stringify(request.result));
          request.onerror = () => reject(request.error);
        };
      }),
  );
  expect(stored).toContain('Luis');
  expect(stored).toContain('withheldActivity');
  expect(stored).not.toContain('My orders');
});

test('with consentMasking "hide" the withheld section is left out', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ consentMasking: 'hide' });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+34 612 34 56 78');
  await expect(sidebar.getByRole('heading', { name: 'Luis García' })).toBeVisible();
  await expect(sidebar.getByRole('heading', { name: 'On the website' })).toHaveCount(0);
  await expect(sidebar.getByText('hidden (no consent)')).toHaveCount(0);
  // A customer who consented still shows their activity under the same setting.
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(sidebar.getByRole('heading', { name: 'On the website' })).toBeVisible();
});
