import type { DetectedCallState } from '../../shared/call';
import { matchesAny } from '../../shared/match-pattern';

/** What a detector reads off a page: the caller and the state of the call. */
export interface PageCall {
  raw: string;
  state: DetectedCallState;
  callId?: string;
}

/**
 * One platform's way of showing a call. `applies` is cheap and decides whether the page is
 * watched at all; `read` runs at most once per animation frame while the page changes, with the
 * page's current URL (single-page apps change it without a reload).
 */
export interface Detector {
  readonly id: string;
  /** Match patterns of the platform's pages: where the content script is declared. */
  readonly matches: readonly string[];
  applies(location: Pick<Location, 'hostname' | 'pathname' | 'href'>): boolean;
  read(doc: Document, url?: URL): PageCall | null;
  /**
   * For platforms that announce calls with events rather than DOM (an embedded widget's
   * documented `postMessage` events): listen on the page's window and call `changed` so the
   * watcher reads again. Stops when `signal` aborts.
   */
  listen?(win: Window, changed: () => void, signal: AbortSignal): void;
}

/**
 * A detector whose pages are exactly its `matches` (the manifest's patterns): `applies` follows
 * from them. Detectors that read only part of what the manifest declares (a path, a host the
 * pattern's wildcard is wider than) give their own.
 */
export function defineDetector(
  detector: Omit<Detector, 'applies'> & { applies?: Detector['applies'] },
): Detector {
  const { matches } = detector;
  return { ...detector, applies: detector.applies ?? (({ href }) => matchesAny(href, matches)) };
}
