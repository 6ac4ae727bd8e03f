import type { AfterCallEvent, Disposition, OutboxStatus, WrapUpDraft } from '../shared/after-call';
import type { CallState } from './call-state';
import type { ConfigStore } from './config-store';
import type { Database } from './db';
import type { Outbox } from './outbox';

export interface WrapUpServiceDeps {
  db: Promise<Database>;
  config: Pick<ConfigStore, 'get'>;
  outbox: Outbox;
  /** The one owner of call state: a logged call is wrapped up there. */
  calls: Pick<CallState, 'logCall'>;
}

/**
 * Wrap-ups and the outbox, as the agent's pages ask for them. Only our own extension pages may
 * ask (background/messages.ts checks that and parses what they send).
 */
export function createWrapUpService(deps: WrapUpServiceDeps) {
  return {
    /** A call's saved draft (none without a call id) and the dispositions to offer. */
    async getWrapUp(
      callId: string | null,
    ): Promise<{ draft: WrapUpDraft | null; dispositions: Disposition[] }> {
      const { config } = await deps.config.get();
      if (callId === null) return { draft: null, dispositions: config.dispositions };
      const draft = (await (await deps.db).get('wrapUpDrafts', callId)) ?? null;
      return { draft, dispositions: config.dispositions };
    },

    async saveWrapUpDraft(draft: WrapUpDraft): Promise<{ saved: boolean; error?: string }> {
      const db = await deps.db;
      const tx = db.transaction(['wrapUpDrafts', 'calls'], 'readwrite');
      // A late autosave after "Log call" must not bring the finished wrap-up back as a draft.
      const call = await tx.objectStore('calls').get(draft.callId);
      if (call?.state !== 'wrapped_up') await tx.objectStore('wrapUpDrafts').put(draft);
      await tx.done;
      return { saved: true };
    },

    async logCall(event: AfterCallEvent): Promise<{ saved: true; duplicate: boolean }> {
      const { duplicate } = await deps.calls.logCall(event, deps.outbox);
      // Delivery runs on its own; the agent's "saved" does not wait for the network.
      void deps.outbox.drain().catch(reportDrainFailure);
      return { saved: true, duplicate };
    },

    getOutboxStatus(): Promise<OutboxStatus> {
      return deps.outbox.status();
    },

    /** Sends refused events again: all of them, or the ones named. */
    async retryFailed(ids: string[] | undefined): Promise<{ retried: number }> {
      const result = await deps.outbox.retryFailed(ids);
      void deps.outbox.drain().catch(reportDrainFailure);
      return result;
    },

    exportFailed() {
      return deps.outbox.exportFailed();
    },
  };
}

export type WrapUpService = ReturnType<typeof createWrapUpService>;

/** Storage failed under a drain (quota, a closed database): the next wake-up tries again. */
export function reportDrainFailure(error: unknown): void {
  console.error('Caller Context: the outbox could not send', error);
}
