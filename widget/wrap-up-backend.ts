import type { AfterCallEvent, Disposition, OutboxStatus, WrapUpDraft } from '../shared/after-call';

/** What the wrap-up needs from the background (the extension's messages; a fake in tests). */
export interface WrapUpBackend {
  load(callId: string): Promise<{ draft: WrapUpDraft | null; dispositions: Disposition[] }>;
  saveDraft(draft: WrapUpDraft): Promise<void>;
  logCall(
    event: AfterCallEvent,
  ): Promise<{ saved: true; duplicate: boolean } | { saved: false; error: string }>;
  outboxStatus(): Promise<OutboxStatus>;
  /** Calls `onChange` with each new outbox status; returns the unsubscribe. */
  subscribeOutbox(onChange: (status: OutboxStatus) => void): () => void;
  retryFailed(): Promise<{ retried: number }>;
  exportFailed(): Promise<unknown[]>;
}

/**
 * Asked for by a wrap-up element when it connects without a backend; the page that hosts the
 * sidebar answers by setting `backend` (so the elements in between need not pass it down).
 */
export class WrapUpBackendRequest extends Event {
  static readonly type = 'cc-wrap-up-backend-request';
  backend: WrapUpBackend | undefined;
  constructor() {
    super(WrapUpBackendRequest.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cc-wrap-up-backend-request': WrapUpBackendRequest;
  }
}
