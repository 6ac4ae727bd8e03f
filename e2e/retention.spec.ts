import type { Worker } from '@playwright/test';
import { expect, sidebarFrame, test } from './fixtures';

/** A retention window of 18 s (0.005 h), set as the agent's own setting. */
const WINDOW_HOURS = 0.005;
const WINDOW_MS = WINDOW_HOURS * 3600_000;

/** Every record of each store the extension keeps in IndexedDB, read in the service worker. */
async function stored(worker: Worker): Promise<Record<string, unknown[]>> {
  return worker.evaluate(
    () =>
      new Promise<Record<string, unknown[]>>((resolve, reject) => {
        const open = indexedDB.open('caller-context');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const names = [...db.objectStoreNames];
          const tx = db.transaction(names);
          const all: Record<string, unknown[]> = {};
          for (const name of names) {
            const request = tx.objectStore(name).getAll();
            request.onsuccess = () => {
              all[name] = request.result;
            };
          }
          tx.oncomplete = () => {
            db.close();
            resolve(all);
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

test("a finished call's customer data leaves IndexedDB after the retention window; the audit list stays", async ({
  extension,
  stack,
  configure,
}) => {
  test.setTimeout(120_000);
  await configure({ callDataRetentionHours: WINDOW_HOURS });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  const softphone = await extension.context.newPage();
  await softphone.goto(`${stack.demo.url}/softphone`);

  // Jane calls, is looked up, and the agent logs the call.
  await softphone.evaluate(() => window.softphone.ring('+44 20 7946 0123'));
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await softphone.evaluate(() => window.softphone.answer());
  await softphone.evaluate(() => window.softphone.hangUp());
  await sidebar.getByLabel('Disposition').selectOption('resolved');
  await sidebar.getByLabel('Notes').fill('Sent a replacement drip tray');
  await sidebar.getByRole('button', { name: 'Log call' }).click();
  await expect(sidebar.getByText('Saved. The call is logged')).toBeVisible();
  await expect(sidebar.getByRole('region', { name: 'Outbox' })).toContainText('1 sent');
  const wrappedUpAt = Date.now();

  // Tom calls; the call ends and is never wrapped up (the sidebar offers its wrap-up).
  await softphone.evaluate(() => window.softphone.ring('020 7946 0456'));
  await expect(sidebar.getByRole('button', { name: 'Tom Baker' })).toBeVisible();
  await softphone.evaluate(() => window.softphone.answer());
  await softphone.evaluate(() => window.softphone.hangUp());
  await expect(sidebar.getByLabel('Disposition')).toBeVisible();
  await sidebar.getByLabel('Notes').fill('Tom will call back');

  // Within the window, the browser holds both calls, their profiles and what they did online.
  const worker = await extension.serviceWorker();
  const before = JSON.stringify(await stored(worker));
  expect(before).toContain('Jane Doe');
  expect(before).toContain('Tom Baker');
  expect(before).toContain('Drip tray for Espresso Pro');
  expect(before).toContain('Sent a replacement drip tray');

  // After it, nothing but the audit list: who looked up which number, when.
  await expect
    .poll(
      async () => {
        const { audit, ...rest } = await stored(worker);
        return Object.values(rest).flat().length;
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBe(0);
  expect(Date.now() - wrappedUpAt).toBeGreaterThanOrEqual(WINDOW_MS);
  const after = await stored(worker);
  const text = JSON.stringify(after);
  for (const personal of ['Jane Doe', 'Tom Baker', 'Drip tray', 'drip tray', 'Tom will call back'])
    expect(text).not.toContain(personal);
  expect(after.audit).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ identity: 'phone:+442079460123', who: 'this browser' }),
      expect.objectContaining({ identity: 'phone:+442079460456', who: 'this browser' }),
    ]),
  );
  // The sidebar let go of the call it offered to wrap up.
  await expect(sidebar.getByText('Waiting for a call.')).toBeVisible();
});
