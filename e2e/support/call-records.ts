import type { ExtensionBrowser } from '../../demo/chromium';

/** The call records the worker keeps (IndexedDB): one per call, however many tabs saw it. */
export async function callRecords(
  browser: ExtensionBrowser,
): Promise<{ detector: string; state: string }[]> {
  const worker = await browser.serviceWorker();
  return worker.evaluate(
    () =>
      new Promise<{ detector: string; state: string }[]>((resolve, reject) => {
        const open = indexedDB.open('caller-context');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('calls').objectStore('calls').getAll();
          all.onsuccess = () =>
            resolve(
              all.result.map((s: { detector: string; state: string }) => ({
                detector: s.detector,
                state: s.state,
              })),
            );
          all.onerror = () => reject(all.error);
        };
      }),
  );
}

/** How many call sessions the worker keeps, to tell one pop from two. */
export async function sessionCount(browser: ExtensionBrowser): Promise<number> {
  return (await callRecords(browser)).length;
}
