import type { CallerContext, Identity } from './model';
import type { Problem } from './problem';

/** What a detector reports of the call it sees in a tab. */
export type DetectedCallState = 'ringing' | 'connected' | 'ended';
export type CallState = DetectedCallState | 'wrapped_up';

export interface CallerSighting {
  /** The number (or address) as the page shows it, before normalization. */
  raw: string;
  state: DetectedCallState;
  /** Id of the detector or admin rule that saw it. */
  detector: string;
  /** The platform's own call id, when the page exposes one. */
  callId?: string;
}

export type Lookup =
  | { status: 'pending' }
  | { status: 'done'; context: CallerContext }
  | {
      status: 'failed';
      message: string;
      /** The failure as a code, worded by the sidebar in the agent's language. */
      problem?: Problem;
    };

/** One call from ring to wrap-up, as the background keeps it. */
export interface CallSession {
  id: string;
  rawNumber: string;
  /** null when the number could not be normalized; `problem` says why. */
  identity: Identity | null;
  problem?: string;
  state: CallState;
  detector: string;
  /** The platform's own call id, when its page shows one. */
  callId?: string;
  tabId?: number;
  ringingAt: string;
  connectedAt?: string;
  endedAt?: string;
  /** The call rang and ended without being answered on any tab we saw. */
  missed?: boolean;
  wrappedUpAt?: string;
  updatedAt: string;
  lookup: Lookup;
  /**
   * An anonymous caller's spoken permission to look beyond the number (config
   * `requireVerbalConsent`): `required` until the agent records the answer, and `at` when they did.
   */
  verbalConsent?: VerbalConsent;
  /**
   * Where several customers share the number: the profile id of the one the agent picked, so
   * the call's live activity follows that customer (nothing is attributed before the pick).
   */
  pickedProfileId?: string;
}

export type VerbalConsentState = 'required' | 'given' | 'declined';

export interface VerbalConsent {
  state: VerbalConsentState;
  /** ISO 8601: when the agent recorded the caller's answer. */
  at?: string;
}

/**
 * Whether the caller's answer holds back every lookup beyond the number for this call: still
 * awaited, or declined. The sidebar stops asking for live activity on this alone.
 */
export function verbalConsentWithholds(session: Pick<CallSession, 'verbalConsent'>): boolean {
  const state = session.verbalConsent?.state;
  return state === 'required' || state === 'declined';
}

const STATES: readonly DetectedCallState[] = ['ringing', 'connected', 'ended'];

/** Validates what a content script sent: the page it reads from is not trusted. */
export function parseSighting(data: unknown): CallerSighting | Error {
  if (typeof data !== 'object' || data === null) return new Error('sighting must be an object');
  const d = data as Record<string, unknown>;
  if (typeof d.raw !== 'string' || d.raw.length === 0 || d.raw.length > 256)
    return new Error('raw must be 1 to 256 characters');
  if (typeof d.state !== 'string' || !STATES.includes(d.state as DetectedCallState))
    return new Error('state must be ringing, connected or ended');
  if (typeof d.detector !== 'string' || !/^[a-z0-9:_.-]{1,64}$/i.test(d.detector))
    return new Error('detector must be an id');
  if (d.callId !== undefined && (typeof d.callId !== 'string' || d.callId.length > 128))
    return new Error('callId must be a string');
  return {
    raw: d.raw,
    state: d.state as DetectedCallState,
    detector: d.detector,
    ...(typeof d.callId === 'string' ? { callId: d.callId } : {}),
  };
}
