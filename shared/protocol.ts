import { defineExtensionMessaging } from '@webext-core/messaging';
import type { AfterCallEvent, Disposition, OutboxStatus, WrapUpDraft } from './after-call';
import type { CallerSighting, CallSession } from './call';

/**
 * Every message between the extension's contexts (DESIGN.md, "Who talks to whom").
 * Handlers validate what they receive and check who sent it.
 */
export interface ProtocolMap {
  /** detector content script -> background: the caller it sees in its tab. */
  reportCaller(data: CallerSighting): { accepted: boolean; error?: string };
  /** sidebar -> background: the call to show now. */
  getCurrentCall(): CallSession | null;
  /** background -> extension pages: the current call changed. */
  callChanged(data: CallSession | null): void;
  /** CRM content script -> background: should this tab show the sidebar? */
  sidebarPlacement(): { mount: boolean };
  /** sidebar -> background: the wrap-up of a call: its saved draft and the dispositions to offer. */
  getWrapUp(data: { callId: string }): { draft: WrapUpDraft | null; dispositions: Disposition[] };
  /** sidebar -> background: keeps an unfinished wrap-up (closing the tab loses nothing). */
  saveWrapUpDraft(data: WrapUpDraft): { saved: boolean; error?: string };
  /**
   * sidebar (or an admin script on our pages) -> background: "Log call". Answers only once the
   * event is durably in the outbox; the same event id sent again is one event.
   */
  logCall(
    data: AfterCallEvent,
  ): { saved: true; duplicate: boolean } | { saved: false; error: string };
  /** sidebar -> background: what is pending, sent and failed. */
  getOutboxStatus(): OutboxStatus;
  /** background -> extension pages: the outbox changed. */
  outboxChanged(data: OutboxStatus): void;
  /** sidebar -> background: sends refused events again (all, or the ones named). */
  retryFailed(data: { ids?: string[] }): { retried: number };
  /** sidebar -> background: the refused events in full, to save as a file. */
  exportFailed(): { event: AfterCallEvent; error: string; failedAt: string }[];
}

export const messaging = defineExtensionMessaging<ProtocolMap>();
