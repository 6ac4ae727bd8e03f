import type { AfterCallEvent, Disposition, WrapUpDraft } from '../shared/after-call';

/** What the wrap-up needs from the background (the extension's messages; a fake in tests). */
export interface WrapUpBackend {
  load(callId: string): Promise<{ draft: WrapUpDraft | null; dispositions: Disposition[] }>;
  saveDraft(draft: WrapUpDraft): Promise<void>;
  logCall(
    event: AfterCallEvent,
  ): Promise<{ saved: true; duplicate: boolean } | { saved: false; error: string }>;
}
