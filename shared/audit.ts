/**
 * One lookup the agent's browser made: who asked, when, for which identity. Never profile data:
 * the list shows what was looked up, not what was found.
 */
export interface AuditEntry {
  /** Assigned by the store. */
  id?: number;
  /** ISO 8601. */
  at: string;
  /** The signed-in user's name or email; "this browser" without a sign-in. */
  who: string;
  /** `namespace:value`, e.g. `phone:+447700900123`. */
  identity: string;
  /**
   * What caused it: a call's number, a retry, a test from the options page, or the agent
   * recording an anonymous caller's spoken answer (`verbalConsent`, with `answer`).
   */
  reason: 'call' | 'retry' | 'test' | 'verbalConsent';
  callId?: string;
  /** With `verbalConsent`: what the caller said; `given` lets their web activity be read. */
  answer?: 'given' | 'declined';
}

/** The signed-out agent, as the list names them. */
export const THIS_BROWSER = 'this browser';
