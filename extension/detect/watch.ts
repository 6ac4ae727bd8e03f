import type { Detector, PageCall } from './detector';

export interface Sighting extends PageCall {
  detector: string;
}

export interface WatchOptions {
  detectors: readonly Detector[];
  doc: Document;
  report(sighting: Sighting): void;
  signal: AbortSignal;
  /** Scheduling of reads; one per animation frame in pages (tests may pass their own). */
  schedule?(run: () => void): void;
  /** The page's current URL (default: the document's). */
  url?(): string;
}

/**
 * Watches a page with one MutationObserver and reads the detectors at most once per animation
 * frame, however many mutations the page makes. Reports only changes (a new number, a new state
 * or a new call id), so a page that re-renders the same call does not ask again.
 */
export function watchForCallers(options: WatchOptions): void {
  const { detectors, doc, report, signal } = options;
  if (signal.aborted) return;
  const schedule = options.schedule ?? ((run) => requestAnimationFrame(run));
  const currentUrl = options.url ?? (() => doc.URL);
  let last: Sighting | null = null;
  let pending = false;

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
    observe();
    let url: URL | undefined;
    try {
      url = new URL(currentUrl());
    } catch {
      url = undefined;
    }
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
    // Until the frame's read, further mutations need no records: the read sees the DOM as it is
    // then. A page making thousands of changes a second costs one record per frame, not each.
    observer.disconnect();
    schedule(read);
  };
  const observer = new MutationObserver(changed);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  const win = doc.defaultView;
  if (win) for (const detector of detectors) detector.listen?.(win, changed, signal);
  read();
}
