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
