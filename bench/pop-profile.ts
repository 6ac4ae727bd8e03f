import { writeFile } from 'node:fs/promises';
import type { CDPSession, Frame, Page, Worker } from '@playwright/test';
import { DEFAULT_RATE_LIMITS } from '../background/tab-rate-limit';
import { EXTENSION_DIR, EXTENSION_ID, launchWithExtension } from '../demo/chromium';
import { startDemoStack } from '../demo/stack';
import { sidebarFrame } from '../e2e/pages/crm.page';
import { callerShownAfter, callerShownMarks, IVR_ELSEWHERE } from './pop-latency';
import { percentile, type Summary, summarize } from './stats';

/**
 * Where the warm screen pop's time goes. Times each stage of the path from the number appearing
 * in the softphone's DOM to the caller's name rendered in the sidebar, without a special build:
 * the extension's own code runs as shipped, and the bench wraps the browser APIs it calls (in the
 * service worker, the detector's isolated world and the sidebar frame) to stamp them on one clock
 * (`performance.timeOrigin + performance.now()`, epoch ms in every context).
 *
 *   npx tsx bench/pop-profile.ts                  stage breakdown of the build in .output
 *   npx tsx bench/pop-profile.ts --ab DIR_A DIR_B [DIR_C...]
 *                                                 interleaved runs of two builds or more (no wrapping)
 *
 * BENCH_CALLS (default 40) calls per run; BENCH_ROUNDS (default 6) A/B rounds. With BENCH_PAIRED,
 * every build's browser stays open and they take one call each in turn, BENCH_CALLS each: on a
 * busy machine, pairs of calls made moments apart compare better than runs minutes apart. BENCH_OUTBOX
 * (default 0) logged calls put in the outbox before the measured calls, as an agent's week of
 * delivered events (the outbox keeps them 7 days and the lookup joins them to the contact
 * history). BENCH_TRACES names a file for every call's stamps as JSON. The calls come as from an
 * IVR that asked before they rang (bench/pop-latency.ts, `IVR_ELSEWHERE`); with BENCH_IVR_BESIDE,
 * the demo softphone's IVR panel asks the gateway, in this process, at the ring.
 */

/** Seeded callers with one match each, rung in turn so every call is a new session. */
const CALLERS = ['+44 20 7946 0123', '+34 612 34 56 78', '+1 415-555-0132', '+33 6 12 34 56 78'];

/**
 * The stages, in path order; each ends where the next begins. A ring from a caller in the cache
 * is written with its lookup done in one transaction and published once its reads are in and its
 * write is queued, while it commits (the commit is timed beside the path); on a miss, the call is
 * published pending first, and the lookup (gateway, cache write, its own write) is part of the
 * write stage.
 */
export const STAGES = [
  'detect: number in the DOM → content script sends (observer, frame, read)',
  'message: content script → worker',
  'before the write: rate limit, config read',
  'write: one IndexedDB transaction, its reads in and the call queued → callChanged sent',
  'message: worker → sidebar',
  'render: callChanged handled → name rendered',
] as const;

interface Stamp {
  at: number;
  what: string;
}

export interface CallTrace {
  total: number;
  /** Milliseconds per stage, in `STAGES` order; NaN where a boundary was not seen. */
  stages: number[];
  /** The page's first animation frame after the ring (the detector reads in one). */
  firstFrame: number;
  /** The audit entry's write, start to commit, on the path or beside it. */
  audit: number;
  /** The sighting's transaction, from callChanged sent to committed (beside the path). */
  commit: number;
  cacheHit: boolean;
  stamps: Stamp[];
}

export interface PopProfile {
  total: Summary;
  stages: { stage: string; median: number; p95: number }[];
  firstFrame: Summary;
  audit: Summary;
  commit: Summary;
  calls: number;
  cacheHits: number;
}

/** Runs `calls` warm screen pops against one build; with `trace`, stamps every stage. */
export async function warmPops(
  extensionDir: string,
  calls: number,
  trace: boolean,
  outboxEntries = 0,
): Promise<{ totals: number[]; traces: CallTrace[] }> {
  const runner = await openPopRunner(extensionDir, trace, outboxEntries);
  try {
    const totals: number[] = [];
    const traces: CallTrace[] = [];
    for (let i = 0; i < calls; i++) {
      const pop = await runner.pop();
      totals.push(pop.total);
      if (pop.trace) traces.push(pop.trace);
    }
    return { totals, traces };
  } finally {
    await runner.close();
  }
}

export interface PopRunner {
  /** One warm screen pop: ring, wait for the name, hang up. */
  pop(): Promise<{ total: number; trace?: CallTrace }>;
  close(): Promise<void>;
}

/**
 * A browser with one build, a CRM tab with its sidebar and a softphone tab, warmed by one
 * unmeasured call (the first render also compiles the sidebar's code paths), ready to pop.
 */
export async function openPopRunner(
  extensionDir: string,
  trace: boolean,
  outboxEntries = 0,
): Promise<PopRunner> {
  const stack = await startDemoStack({ gatewayPort: 0, demoPort: 0, quiet: true });
  const browser = await launchWithExtension({ extensionDir });
  const close = async () => {
    // The page it was attached to may be closed already.
    await cdp?.detach().catch(() => {});
    await browser.close();
    await stack.close();
  };
  let phone: Page | null = null;
  let cdp: CDPSession | null = null;
  let callsHere = DEFAULT_RATE_LIMITS.newCalls;
  let next = 0;
  try {
    await browser.setAgentSettings({ gatewayUrl: stack.gateway.url });
    const crm = await browser.context.newPage();
    await crm.goto(`${stack.demo.url}/crm`);
    const sidebar = await sidebarFrame(crm);
    if (trace) {
      await shimNames(sidebar);
      await sidebar.evaluate(instrumentFrame);
      const worker = await browser.serviceWorker();
      await worker.evaluate('globalThis.__name ??= (fn) => fn');
      await worker.evaluate(instrumentWorker);
    }
    const call = async (measured: boolean) => {
      // A tab may start only so many calls a minute: then the next ones ring in a fresh tab.
      if (!phone || callsHere >= DEFAULT_RATE_LIMITS.newCalls) {
        const fresh = await browser.context.newPage();
        await fresh.goto(`${stack.demo.url}/softphone`);
        await fresh.waitForFunction(() => typeof window.softphone?.ring === 'function');
        await fresh.waitForTimeout(300);
        await phone?.close();
        phone = fresh;
        callsHere = 0;
        if (trace) {
          await shimNames(fresh);
          // Its page is closed already: the session went with it.
          await cdp?.detach().catch(() => {});
          cdp = await instrumentContentScript(fresh);
        }
      }
      callsHere += 1;
      const number = CALLERS[next++ % CALLERS.length] as string;
      const rung = await oneCall(phone, sidebar, number);
      await phone.evaluate(() => window.softphone.hangUp());
      const result: { total: number; trace?: CallTrace } = { total: rung.shown - rung.rang };
      if (measured && trace)
        result.trace = await collect(await browser.serviceWorker(), phone, sidebar, rung);
      await phone.waitForTimeout(100);
      return result;
    };
    await call(false);
    // After the unmeasured call, which has made sure the worker opened (and upgraded) the store.
    if (outboxEntries > 0)
      await (await browser.serviceWorker()).evaluate(seedOutbox, outboxEntries);
    return { pop: () => call(true), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** tsx (esbuild's keepNames) calls a `__name` helper in named inner functions; give pages one. */
async function shimNames(target: Page | Frame): Promise<void> {
  await target.evaluate('globalThis.__name ??= (fn) => fn');
}

async function oneCall(
  softphone: Page,
  sidebar: Frame,
  number: string,
): Promise<{ rang: number; shown: number }> {
  const marksBefore = await callerShownMarks(sidebar);
  const rang = await softphone.evaluate(
    ([n, options]) => {
      const at = performance.timeOrigin + performance.now();
      window.softphone.ring(n, options);
      // Registered before the detector's observer runs: fires in the same frame as its read.
      requestAnimationFrame(() => performance.mark('bench:first-frame'));
      return at;
    },
    [number, process.env.BENCH_IVR_BESIDE ? undefined : IVR_ELSEWHERE] as const,
  );
  return { rang, shown: await callerShownAfter(sidebar, marksBefore, rang) };
}

declare global {
  var benchTrace: Stamp[] | undefined;
}

/**
 * In the service worker: `count` delivered after-call events of the last 7 days, of other
 * callers than the bench's, straight into the extension's IndexedDB (as background/outbox.ts
 * stores them), so that the lookup's read of logged calls meets a week of an agent's work.
 */
async function seedOutbox(count: number): Promise<void> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('caller-context');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const tx = db.transaction('outbox', 'readwrite');
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const at = now - Math.round((i / count) * 6.5 * 86_400_000);
    const iso = new Date(at).toISOString();
    const id = `bench-${i}-${crypto.randomUUID()}`;
    tx.objectStore('outbox').put({
      id,
      event: {
        id,
        type: 'call.logged',
        callId: crypto.randomUUID(),
        identity: { namespace: 'phone', value: `+4420794${String(10000 + i).slice(-5)}` },
        rawNumber: `+44 20 794${String(10000 + i).slice(-5)}`,
        profile: { id: `bench-profile-${i}`, source: 'crm', name: `Bench caller ${i}` },
        disposition: { code: 'resolved', label: 'Resolved' },
        notes: 'Asked about the delivery date of an order; told them it ships on Monday.',
        ringingAt: iso,
        connectedAt: iso,
        endedAt: iso,
        talkSeconds: 180,
        loggedAt: iso,
      },
      status: 'sent',
      at,
      createdAt: at,
      attempts: 1,
      leaseUntil: 0,
    });
  }
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

/** In the service worker: stamps messages in and out, IndexedDB transactions, fetches, storage reads. */
function instrumentWorker(): void {
  if (globalThis.benchTrace) return;
  const stamps: Stamp[] = [];
  globalThis.benchTrace = stamps;
  const stamp = (what: string) =>
    stamps.push({ at: performance.timeOrigin + performance.now(), what });
  // Sightings come on the detector's port (shared/tab-port.ts). This listener runs after the
  // worker's own, in the same dispatch: its stamp is late by the synchronous start of the
  // handler (the rate limit, the config read begun).
  chrome.runtime.onConnect.addListener((port) =>
    port.onMessage.addListener((message: { type?: string; data?: { state?: string } }) => {
      if (message?.type === 'reportCaller') stamp(`receive reportCaller ${message.data?.state}`);
    }),
  );
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    ...args: Parameters<IDBDatabase['transaction']>
  ) {
    const tx = transaction.apply(this, args);
    const stores = args[0];
    const name = `${typeof stores === 'string' ? stores : [...stores].join('+')} ${args[1] ?? 'readonly'}`;
    stamp(`tx start ${name}`);
    tx.addEventListener('complete', () => stamp(`tx done ${name}`));
    return tx;
  };
  const fetchNative = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    stamp(`fetch start ${url.pathname}`);
    try {
      return await fetchNative(input, init);
    } finally {
      stamp(`fetch end ${url.pathname}`);
    }
  };
  const runtime = chrome.runtime as unknown as { sendMessage: (...args: unknown[]) => unknown };
  const send = runtime.sendMessage;
  runtime.sendMessage = function (this: unknown, ...args: unknown[]) {
    const message = args[0] as
      | { type?: string; data?: { state?: string; lookup?: { status?: string } } | null }
      | undefined;
    if (message?.type === 'callChanged')
      stamp(`send callChanged ${message.data?.lookup?.status ?? 'none'}`);
    return send.apply(this, args);
  };
  const local = chrome.storage.local as unknown as { get: (...args: unknown[]) => unknown };
  const get = local.get;
  local.get = function (this: unknown, ...args: unknown[]) {
    stamp('storage.local.get');
    return get.apply(this, args);
  };
}

/** In the sidebar frame: stamps each callChanged as it arrives. */
function instrumentFrame(): void {
  if (globalThis.benchTrace) return;
  const stamps: Stamp[] = [];
  globalThis.benchTrace = stamps;
  chrome.runtime.onMessage.addListener(
    (message: { type?: string; data?: { lookup?: { status?: string } } | null }) => {
      if (message?.type === 'callChanged')
        stamps.push({
          at: performance.timeOrigin + performance.now(),
          what: `frame callChanged ${message.data?.lookup?.status ?? 'none'}`,
        });
    },
  );
}

/**
 * In the detector's isolated world (reached through the DevTools protocol, as Playwright has no
 * handle on it): a User Timing mark when it sends a sighting. Marks land in the page's shared
 * performance timeline, where the main world reads them.
 */
async function instrumentContentScript(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: {
    id: number;
    origin: string;
    auxData?: { type?: string; isDefault?: boolean };
  }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
  await cdp.send('Runtime.enable');
  const world = contexts.find(
    (c) => c.auxData?.type === 'isolated' && c.origin.includes(EXTENSION_ID),
  );
  if (!world) throw new Error('The detector script is not running in the softphone page.');
  const { exceptionDetails } = await cdp.send('Runtime.evaluate', {
    contextId: world.id,
    expression: `(() => {
      if (globalThis.benchPatched) return;
      globalThis.benchPatched = true;
      const connect = chrome.runtime.connect.bind(chrome.runtime);
      chrome.runtime.connect = (...args) => {
        const port = connect(...args);
        const post = port.postMessage.bind(port);
        port.postMessage = (message) => {
          if (message && message.type === 'reportCaller') performance.mark('bench:cs-send');
          return post(message);
        };
        return port;
      };
    })()`,
  });
  if (exceptionDetails) throw new Error(`Could not wrap the detector: ${exceptionDetails.text}`);
  await cdp.send('Runtime.disable');
  return cdp;
}

async function collect(
  worker: Worker,
  phone: Page,
  sidebar: Frame,
  call: { rang: number; shown: number },
): Promise<CallTrace> {
  const inWindow = (s: Stamp) => s.at >= call.rang && s.at <= call.shown + 1;
  const workerStamps = (await worker.evaluate(() => globalThis.benchTrace ?? [])).filter(inWindow);
  const frameStamps = (await sidebar.evaluate(() => globalThis.benchTrace ?? [])).filter(inWindow);
  const pageStamps = (
    await phone.evaluate(() =>
      ['bench:cs-send', 'bench:first-frame'].flatMap((name) =>
        performance
          .getEntriesByName(name)
          .map((e) => ({ at: performance.timeOrigin + e.startTime, what: name })),
      ),
    )
  ).filter(inWindow);
  const stamps = [...pageStamps, ...workerStamps, ...frameStamps].sort((a, b) => a.at - b.at);
  const after = (from: number, what: (s: string) => boolean) =>
    stamps.find((s) => s.at >= from && what(s.what))?.at ?? Number.NaN;
  const csSend = after(call.rang, (w) => w === 'bench:cs-send');
  const received = after(csSend, (w) => w === 'receive reportCaller ringing');
  const writeStarts = after(received, (w) => w.startsWith('tx start calls'));
  const written = after(writeStarts, (w) => w.startsWith('tx done calls'));
  const resultSent = after(writeStarts, (w) => w === 'send callChanged done');
  const frameGot = after(resultSent, (w) => w === 'frame callChanged done');
  const bounds = [call.rang, csSend, received, writeStarts, resultSent, frameGot, call.shown];
  return {
    total: call.shown - call.rang,
    stages: bounds.slice(1).map((b, i) => b - (bounds[i] as number)),
    firstFrame: after(call.rang, (w) => w === 'bench:first-frame') - call.rang,
    audit:
      after(written, (w) => w === 'tx done audit readwrite') -
      after(written, (w) => w === 'tx start audit readwrite'),
    commit: written - resultSent,
    cacheHit: !stamps.some((s) => s.what.startsWith('fetch start /v1/context')),
    stamps: stamps.map((s) => ({ at: Math.round((s.at - call.rang) * 10) / 10, what: s.what })),
  };
}

export function profileOf(traces: CallTrace[]): PopProfile {
  const finite = (xs: number[]) => xs.filter((x) => Number.isFinite(x));
  // The stages of warm pops: a miss (the first ring of each caller) takes another path.
  const hits = traces.filter((t) => t.cacheHit);
  return {
    total: summarize(traces.map((t) => t.total)),
    stages: STAGES.map((stage, i) => {
      const sample = finite(hits.map((t) => t.stages[i] as number));
      const s = sample.length > 0 ? summarize(sample) : null;
      return { stage, median: s?.median ?? Number.NaN, p95: s?.p95 ?? Number.NaN };
    }),
    firstFrame: summarize(finite(traces.map((t) => t.firstFrame))),
    audit: summarize(finite(traces.map((t) => t.audit))),
    commit: summarize(finite(hits.map((t) => t.commit))),
    calls: traces.length,
    cacheHits: traces.filter((t) => t.cacheHit).length,
  };
}

async function main(): Promise<void> {
  const calls = Number(process.env.BENCH_CALLS ?? 40);
  const outbox = Number(process.env.BENCH_OUTBOX ?? 0);
  const args = process.argv.slice(2);
  if (args[0] === '--ab') {
    const dirs = args.slice(1);
    if (dirs.length < 2)
      throw new Error('Usage: pop-profile.ts --ab EXTENSION_DIR_A EXTENSION_DIR_B [MORE_DIRS...]');
    const names = dirs.map((_, i) => String.fromCharCode(65 + i));
    const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
    const medians: number[][] = dirs.map(() => []);
    const all: number[][] = dirs.map(() => []);
    if (process.env.BENCH_PAIRED) {
      // Every build's browser open at once, one call each in turn: the machine's load at any
      // moment hits every build alike, and each call of B has a call of A next to it.
      const runners: PopRunner[] = [];
      try {
        for (const dir of dirs) runners.push(await openPopRunner(dir, false, outbox));
        for (let i = 0; i < calls; i++) {
          const order = dirs.map((_, d) => (d + i) % dirs.length);
          for (const which of order)
            all[which]?.push((await (runners[which] as PopRunner).pop()).total);
        }
      } finally {
        for (const runner of runners) await runner.close();
      }
      console.table(Object.fromEntries(names.map((name, i) => [name, summarize(all[i] ?? [])])));
      for (let i = 1; i < dirs.length; i++) {
        const ratios = (all[0] ?? []).map((a, c) => (all[i]?.[c] as number) / a);
        const sorted = ratios.sort((x, y) => x - y);
        const at = (p: number) => Math.round(percentile(sorted, p) * 1000) / 1000;
        console.log(
          `${names[i]}/A ratio of paired calls: median ${at(50)} (quartiles ${at(25)}, ${at(75)}) over ${ratios.length} pairs`,
        );
      }
      return;
    }
    for (let round = 0; round < rounds; round++) {
      // Each round starts with another build, so a trend in the machine's load hits all alike.
      const order = dirs.map((_, i) => (i + round) % dirs.length);
      for (const which of order) {
        const { totals } = await warmPops(dirs[which] as string, calls, false, outbox);
        const s = summarize(totals);
        medians[which]?.push(s.median);
        all[which]?.push(...totals);
        console.log(`round ${round + 1} ${names[which]}: median ${s.median} ms, p95 ${s.p95} ms`);
      }
    }
    console.table(Object.fromEntries(names.map((name, i) => [name, summarize(all[i] ?? [])])));
    names.forEach((name, i) => {
      console.log(`per-round medians ${name}: ${medians[i]?.join(', ')}`);
    });
    for (let i = 1; i < dirs.length; i++) {
      const ratios = (medians[0] ?? []).map(
        (m, r) => Math.round(((medians[i]?.[r] as number) / m) * 1000) / 1000,
      );
      console.log(
        `${names[i]}/A ratio of round medians: ${ratios.join(', ')} (median ${percentile(
          [...ratios].sort((x, y) => x - y),
          50,
        )})`,
      );
    }
    return;
  }
  const { traces } = await warmPops(args[0] ?? EXTENSION_DIR, calls, true, outbox);
  if (process.env.BENCH_TRACES)
    await writeFile(process.env.BENCH_TRACES, JSON.stringify(traces, null, 1));
  const profile = profileOf(traces);
  console.log('Stages of the calls served from the cache:');
  console.table(profile.stages);
  console.log(
    `total: median ${profile.total.median} ms, p95 ${profile.total.p95} ms over ${profile.calls} calls ` +
      `(${profile.cacheHits} served from the IndexedDB cache); the softphone page's first animation ` +
      `frame after the ring: median ${profile.firstFrame.median} ms; the audit write, start to ` +
      `commit: median ${profile.audit.median} ms; a cache hit's commit after callChanged was ` +
      `sent: median ${profile.commit.median} ms`,
  );
  if (process.env.BENCH_STAMPS) for (const t of traces.slice(0, 3)) console.table(t.stamps);
}

if (import.meta.url === `file://${process.argv[1]}`)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
