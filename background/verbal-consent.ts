import { type CallSession, verbalConsentWithholds } from '../shared/call';
import type { ExtensionConfig } from '../shared/config';
import { formatIdentity } from '../shared/identity';
import type { AuditLog } from './audit-log';
import type { CallState } from './call-state';
import type { ConfigStore } from './config-store';
import type { createLiveActivity } from './live-activity';

/**
 * Whether the background may ask for anything beyond the number for this call. Not while an
 * anonymous caller's spoken permission is awaited or was declined; and, with the config asking
 * for it, not for a call without a match whose answer was never recorded either (one looked up
 * before the setting changed): without an answer, no.
 */
export function mayLookBeyondNumber(
  session: Pick<CallSession, 'verbalConsent' | 'lookup'>,
  config: Pick<ExtensionConfig, 'requireVerbalConsent'>,
): boolean {
  if (verbalConsentWithholds(session)) return false;
  if (session.verbalConsent?.state === 'given') return true;
  const anonymous = session.lookup.status === 'done' && session.lookup.context.matches.length === 0;
  return !(config.requireVerbalConsent && anonymous);
}

export interface VerbalConsentDeps {
  /** The one owner of call state: the answer is kept with the call there. */
  calls: Pick<CallState, 'get' | 'recordVerbalConsent' | 'updated'>;
  config: ConfigStore;
  liveActivity: Pick<ReturnType<typeof createLiveActivity>, 'refresh'>;
  auditLog: Pick<AuditLog, 'record'>;
  /** Who the audit list names: the signed-in agent, or this browser. */
  who(): Promise<string>;
}

export interface VerbalConsentInput {
  callId: string;
  given: boolean;
}

/** Checks what a page sent: a call id and a yes or no, nothing else. */
export function parseVerbalConsent(data: unknown): VerbalConsentInput | Error {
  if (typeof data !== 'object' || data === null) return new Error('expected { callId, given }');
  const { callId, given } = data as Record<string, unknown>;
  if (typeof callId !== 'string' || callId.length === 0 || callId.length > 64)
    return new Error('callId is required');
  if (typeof given !== 'boolean') return new Error('given must be true or false');
  return { callId, given };
}

/**
 * The agent records an anonymous caller's spoken answer. It is kept with the call in IndexedDB
 * (a worker restart keeps it) and in the audit list; a "yes" then reads the caller's web activity
 * under their number, a "no" leaves the number as the whole lookup for the rest of the call.
 */
export function createVerbalConsent(deps: VerbalConsentDeps) {
  return {
    async record(input: VerbalConsentInput): Promise<{ ok: boolean; error?: string }> {
      const call = await deps.calls.get(input.callId);
      if (!call?.identity) return { ok: false, error: 'no such call' };
      const { changed, session } = await deps.calls.recordVerbalConsent(input.callId, input.given);
      const answer = input.given ? 'given' : 'declined';
      if (!changed) {
        const state = session?.verbalConsent?.state;
        // The same answer again (a double press) is no error; another one is not taken.
        if (state === answer) return { ok: true };
        return {
          ok: false,
          error: state
            ? "The caller's answer is already recorded for this call."
            : "This call does not need the caller's permission.",
        };
      }
      await deps.auditLog
        .record({
          who: await deps.who(),
          identity: formatIdentity(call.identity),
          callId: call.id,
          reason: 'verbalConsent',
          answer,
        })
        .catch((error: unknown) => console.error('Caller Context: audit list', error));
      if (input.given) {
        // A failure here shows in the sidebar's live updates, which keep trying.
        const refreshed = await deps.liveActivity
          .refresh(call.id)
          .catch((error: unknown) => console.error('Caller Context: web activity', error));
        if (refreshed) deps.calls.updated(refreshed);
      }
      return { ok: true };
    },
  };
}

export type VerbalConsent = ReturnType<typeof createVerbalConsent>;
