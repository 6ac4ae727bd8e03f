import type { Detector, PageCall } from './detector';

export interface Sighting extends PageCall {
  detector: string;
}

export interface WatchOptions {
  detectors: readonly Detector[];
  doc: Document;
  report(sighting: Sighting): void;
  signal: AbortSignal;
  /** Scheduling of reads: a task of its own (tests may pass their own). */
  schedule?(run: () => void): void;
  /** The page's current URL (default: the document's). */
  url?(): string;
  /**
   * Shortest time between two reads while the page keeps changing (default 100 ms). A quiet
   * page is read in the first task after a change; a page that changes every frame (a ticking
   * timer, a live queue board) is read at most ten times a second, not sixty.
   */
  readIntervalMs?: number;
  /** Clock for the interval (default: `performance.now`). */
  now?(): number;
  /** Waits before scheduling a read that comes too soon (default: `setTimeout`). */
  wait?(run: () => void, ms: number): void;
}

const READ_INTERVAL_MS = 100;

/** The Prioritized Task Scheduling API (https://wicg.github.io/scheduling-apis/), where present. */
interface TaskScheduler {
  postTask(run: () => void, options: { priority: 'user-blocking' }): Promise<void>;
}

/**
 * When a read runs: in a task of its own, right after the mutations that asked for it. Reads
 * touch no layout (text and attributes only), so waiting for the page's next animation frame would
 * buy nothing and cost the screen pop up to a frame (measured: ~10 ms of a ~42 ms warm pop).
 * Where the browser has `scheduler.postTask`, the task is `user-blocking`: the agent is waiting
 * for the caller, and a task of normal priority (a message on a private channel) ran only after
 * the page's next frame had been rendered (measured on the demo softphone: 13.5 ms after the
 * ring against 7.9 ms, medians of 30). Chromium queues these tasks as it queues messages, so a
 * hidden tab does not throttle them either. Elsewhere a message on a private channel: timers are
 * clamped, and throttled to once a second in a hidden tab, where the softphone usually sits.
 * Bursts are still read at most every `readIntervalMs`.
 */
function readScheduler(): (run: () => void) => void {
  const scheduler = (globalThis as { scheduler?: Partial<TaskScheduler> }).scheduler;
  if (typeof scheduler?.postTask === 'function') {
    const tasks = scheduler as TaskScheduler;
    // A read that throws rejects the task's promise: reported unhandled, as from a message handler.
    return (run) => void tasks.postTask(run, { priority: 'user-blocking' });
  }
  const channel = new MessageChannel();
  const tasks: (() => void)[] = [];
  channel.port1.onmessage = () => tasks.shift()?.();
  return (run) => {
    tasks.push(run);
    channel.port2.postMessage(null);
  };
}

/**
 * Watches a page with one MutationObserver and reads the detectors once per burst of mutations
 * (at most every `readIntervalMs`), however many mutations the page makes. Reports only changes (a new number, a new state
 * or a new call id), so a page that re-renders the same call does not ask again.
 */
export function watchForCallers(options: WatchOptions): void {
  const { detectors, doc, report, signal } = options;
  if (signal.aborted) return;
  const schedule = options.schedule ?? readScheduler();
  const currentUrl = options.url ?? (() => doc.URL);
  const interval = options.readIntervalMs ?? READ_INTERVAL_MS;
  const now = options.now ?? (() => performance.now());
  const wait = options.wait ?? ((run, ms) => setTimeout(run, ms));
  let last: Sighting | null = null;
  let pending = false;
  let lastReadAt = Number.NEGATIVE_INFINITY;
  // The parsed URL of the last read: pages rarely navigate, and parsing on every read showed
  // in profiles of a busy page.
  let parsedHref = '';
  let parsedUrl: URL | undefined;
  const pageUrl = (): URL | undefined => {
    const href = currentUrl();
    if (href !== parsedHref) {
      parsedHref = href;
      try {
        parsedUrl = new URL(href);
      } catch {
        parsedUrl = undefined;
      }
    }
    return parsedUrl;
  };

  const emit = (sighting: Sighting) => {
    const isNew =
      !last ||
      last.detector !== sighting.detector ||
      last.raw !== sighting.raw ||
      last.state !== sighting.state ||
      last.callId !== sighting.callId;
    last = sighting;
    if (isNew) report(sighting);
  };

  const observe = () =>
    observer.observe(doc, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });

  const read = () => {
    pending = false;
    if (signal.aborted) return;
    lastReadAt = now();
    observe();
    const url = pageUrl();
    for (const detector of detectors) {
      const call = detector.read(doc, url);
      if (call) return emit({ ...call, detector: detector.id });
    }
    // The call we saw is gone from the page (a softphone back to idle): it has ended.
    if (last && last.state !== 'ended') emit({ ...last, state: 'ended' });
  };

  const changed = () => {
    if (pending || signal.aborted) return;
    pending = true;
    // Until the next read, further mutations need no records: the read sees the DOM as it is
    // then. A page making thousands of changes a second costs one record per read, not each.
    observer.disconnect();
    const early = lastReadAt + interval - now();
    if (early > 0) wait(() => schedule(read), early);
    else schedule(read);
  };
  const observer = new MutationObserver(changed);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  const win = doc.defaultView;
  if (win) for (const detector of detectors) detector.listen?.(win, changed, signal);
  read();
}
