import type { Page } from '@playwright/test';
import { EXTENSION_ID, type ExtensionBrowser } from '../demo/chromium';
import type { DemoStack } from '../demo/stack';
import type { AfterCallEvent } from '../shared/after-call';
import { type Summary, summarize } from './stats';

export interface OutboxBench {
  /** Milliseconds from "Log call" sent by an extension page to its "saved" answer. */
  logToSaved: Summary;
  /** Events per second delivered to the local gateway from a backlog. */
  throughput: { backlog: number; seconds: number; eventsPerSecond: number };
}

function afterCallEvent(n: number): AfterCallEvent {
  const at = Date.now();
  return {
    id: crypto.randomUUID(),
    type: 'call.logged',
    callId: `bench-call-${n}`,
    identity: { namespace: 'phone', value: '+442079460123' },
    rawNumber: '+44 20 7946 0123',
    profile: { id: 'cust-jane', source: 'demo', name: 'Jane Doe' },
    disposition: { code: 'resolved', label: 'Resolved' },
    notes: 'Replacement drip tray sent; customer happy.',
    ringingAt: new Date(at - 300_000).toISOString(),
    connectedAt: new Date(at - 290_000).toISOString(),
    endedAt: new Date(at - 5000).toISOString(),
    talkSeconds: 285,
    loggedAt: new Date(at).toISOString(),
  };
}

/**
 * The outbox, measured in the real extension:
 * - "Log call" to "saved": what the sidebar's button does (a `logCall` message, answered once the
 *   event is committed with strict durability), timed in the extension page;
 * - throughput: a backlog written straight into the outbox's IndexedDB store, then one wake-up,
 *   timed until the gateway holds every event.
 */
export async function measureOutbox(
  browser: ExtensionBrowser,
  stack: DemoStack,
  options: { saves: number; backlog: number },
): Promise<OutboxBench> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${EXTENSION_ID}/sidebar.html`);
  const logToSaved = summarize(await timeSaves(page, options.saves));
  await waitForGateway(stack, options.saves, 60_000);

  const before = (await stack.gateway.gateway.events.list()).length;
  const worker = await browser.serviceWorker();
  const backlog = Array.from({ length: options.backlog }, (_, i) => afterCallEvent(i));
  await worker.evaluate(async (events) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('caller-context');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('outbox', 'readwrite');
      const now = Date.now();
      // Stored as refused: nothing sends them until the timed "Retry refused events" below.
      for (const event of events)
        tx.objectStore('outbox').put({
          id: event.id,
          event,
          status: 'failed',
          at: now,
          createdAt: now,
          attempts: 1,
          leaseUntil: 0,
          lastError: 'benchmark backlog',
        });
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, backlog);
  // "Retry refused events" puts the whole backlog in line at once and wakes the outbox.
  const started = performance.now();
  await page.evaluate(() =>
    chrome.runtime.sendMessage({ id: 1, type: 'retryFailed', data: {}, timestamp: Date.now() }),
  );
  await waitForGateway(stack, before + options.backlog, 600_000);
  const seconds = (performance.now() - started) / 1000;
  await page.close();
  return {
    logToSaved,
    throughput: {
      backlog: options.backlog,
      seconds: Math.round(seconds * 10) / 10,
      eventsPerSecond: Math.round(options.backlog / seconds),
    },
  };
}

async function timeSaves(page: Page, count: number): Promise<number[]> {
  const events = Array.from({ length: count }, (_, i) => afterCallEvent(i));
  return page.evaluate(async (list) => {
    const times: number[] = [];
    for (const event of list) {
      const start = performance.now();
      const answer = (await chrome.runtime.sendMessage({
        id: 1,
        type: 'logCall',
        data: event,
        timestamp: Date.now(),
      })) as { res?: { saved?: boolean } };
      if (!answer.res?.saved) throw new Error(`not saved: ${JSON.stringify(answer)}`);
      times.push(performance.now() - start);
    }
    return times;
  }, events);
}

async function waitForGateway(stack: DemoStack, count: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while ((await stack.gateway.gateway.events.list()).length < count) {
    if (Date.now() > deadline) throw new Error(`the gateway did not get ${count} events in time`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
