import type { DetectedCallState } from '../../shared/call';

/** What a detector reads off a page: the caller and the state of the call. */
export interface PageCall {
  raw: string;
  state: DetectedCallState;
  callId?: string;
}

/**
 * One platform's way of showing a call. `applies` is cheap and decides whether the page is
 * watched at all; `read` runs at most once per animation frame while the page changes.
 */
export interface Detector {
  readonly id: string;
  applies(location: Pick<Location, 'hostname' | 'pathname' | 'href'>): boolean;
  read(doc: Document): PageCall | null;
}
