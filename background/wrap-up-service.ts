import {
  type AfterCallEvent,
  type Disposition,
  type OutboxStatus,
  parseAfterCallEvent,
  parseWrapUpDraft,
  type WrapUpDraft,
} from '../shared/after-call';
import type { CallSession } from '../shared/call';
import { createCallSessions } from './call-sessions';
import { RefusedMessage, type Sender } from './caller-service';
import type { ConfigStore } from './config-store';
import type { Database } from './db';
import type { Outbox } from './outbox';

export interface WrapUpServiceDeps {
  extensionId: string;
  /** `runtime.getURL('/')`: the origin of our own pages. */
  extensionOrigin: string;
  db: Promise<Database>;
  config: ConfigStore;
  outbox: Outbox;
  /** Tells the extension's pages that the current call changed (a logged call is wrapped up). */
  broadcast(session: CallSession | null): void;
}

const MAX_IDS = 1000;

/**
 * The background's answers about wrap-ups and the outbox. Only our own extension pages may ask:
 * a content script runs beside the CRM page, whose scripts are not ours.
 */
export function createWrapUpService(deps: WrapUpServiceDeps) {
  const requireOwnPage = (sender: Sender, what: string): void => {
    const own =
      sender.id === deps.extensionId && (sender.url ?? '').startsWith(deps.extensionOrigin);
    if (!own) throw new RefusedMessage(`${what}: not from our pages`);
  };

  return {
    async getWrapUp(
      data: unknown,
      sender: Sender,
    ): Promise<{ draft: WrapUpDraft | null; dispositions: Disposition[] }> {
      requireOwnPage(sender, 'getWrapUp');
      const callId = (data as { callId?: unknown } | null)?.callId;
      const { config } = await deps.config.get();
      if (typeof callId !== 'string' || callId.length > 128)
        return { draft: null, dispositions: config.dispositions };
      const draft = (await (await deps.db).get('wrapUpDrafts', callId)) ?? null;
      return { draft, dispositions: config.dispositions };
    },

    async saveWrapUpDraft(
      data: unknown,
      sender: Sender,
    ): Promise<{ saved: boolean; error?: string }> {
      requireOwnPage(sender, 'saveWrapUpDraft');
      const draft = parseWrapUpDraft(data);
      if (draft instanceof Error) return { saved: false, error: draft.message };
      const db = await deps.db;
      const tx = db.transaction(['wrapUpDrafts', 'calls'], 'readwrite');
      // A late autosave after "Log call" must not bring the finished wrap-up back as a draft.
      const call = await tx.objectStore('calls').get(draft.callId);
      if (call?.state !== 'wrapped_up') await tx.objectStore('wrapUpDrafts').put(draft);
      await tx.done;
      return { saved: true };
    },

    async logCall(
      data: unknown,
      sender: Sender,
    ): Promise<{ saved: true; duplicate: boolean } | { saved: false; error: string }> {
      requireOwnPage(sender, 'logCall');
      const event: AfterCallEvent | Error = parseAfterCallEvent(data);
      if (event instanceof Error) return { saved: false, error: event.message };
      const { duplicate } = await deps.outbox.add(event);
      deps.broadcast(await createCallSessions({ db: await deps.db }).current());
      // Delivery runs on its own; the agent's "saved" does not wait for the network.
      void deps.outbox.drain().catch(reportDrainFailure);
      return { saved: true, duplicate };
    },

    async getOutboxStatus(sender: Sender): Promise<OutboxStatus> {
      requireOwnPage(sender, 'getOutboxStatus');
      return deps.outbox.status();
    },

    async retryFailed(data: unknown, sender: Sender): Promise<{ retried: number }> {
      requireOwnPage(sender, 'retryFailed');
      const ids = (data as { ids?: unknown } | null)?.ids;
      if (
        ids !== undefined &&
        !(Array.isArray(ids) && ids.length <= MAX_IDS && ids.every((id) => typeof id === 'string'))
      )
        throw new RefusedMessage('retryFailed: ids must be a list of event ids');
      const result = await deps.outbox.retryFailed(ids as string[] | undefined);
      void deps.outbox.drain().catch(reportDrainFailure);
      return result;
    },

    async exportFailed(sender: Sender) {
      requireOwnPage(sender, 'exportFailed');
      return deps.outbox.exportFailed();
    },
  };
}

/** Storage failed under a drain (quota, a closed database): the next wake-up tries again. */
export function reportDrainFailure(error: unknown): void {
  console.error('Caller Context: the outbox could not send', error);
}
