import type { CallSession } from './call';
import { isRecord as isObject } from './json';
import type { Identity, Match } from './model';
import type { Problem } from './problem';

/** A disposition code an agent can pick at wrap-up (config key `dispositions`). */
export interface Disposition {
  code: string;
  label: string;
}

/** What the agent fills in at wrap-up; kept as a draft until "Log call". */
export interface WrapUpDraft {
  /** The call session's id: one draft per call. */
  callId: string;
  disposition: string;
  notes: string;
  /** YYYY-MM-DD, or empty. */
  followUpOn: string;
  /** The case the call was about, among the picked match's cases; empty for none. */
  caseId: string;
  updatedAt: string;
}

/**
 * The after-call event: what goes back to the customer-data platform once a call is logged. Its
 * `id` is made on the client when the agent presses "Log call" and never changes, so every
 * retry of its delivery carries the same id and the gateway (and the sinks) count it once.
 */
export interface AfterCallEvent {
  id: string;
  /** Always `call.logged`; room for other after-call events later. */
  type: 'call.logged';
  /** The call session's id. */
  callId: string;
  /** The telephony platform's own call id, when its page showed one. */
  platformCallId?: string;
  /** The caller as normalized; null when the number could not be read. */
  identity: Identity | null;
  /** The number as the softphone showed it. */
  rawNumber: string;
  /** The record the call belongs to: the picked match, or null for none. */
  profile: { id: string; source: string; name?: string } | null;
  caseId?: string;
  disposition: Disposition;
  notes: string;
  followUpOn?: string;
  ringingAt: string;
  connectedAt?: string;
  endedAt?: string;
  /** Seconds from answer to end; 0 when never answered. */
  talkSeconds: number;
  /** When the agent pressed "Log call". */
  loggedAt: string;
  /**
   * The agent chose "Make me their manager": from now on the IVR routes this customer to them.
   * The gateway names the agent from their sign-in and hands the sinks `newManager`.
   */
  makeMeManager?: boolean;
  /** Set by the gateway, never by a client: who the customer's manager is from now on. */
  newManager?: { email?: string; id?: string; name?: string };
  /**
   * Set by the gateway, never by a client: the agent who logged the call, from their sign-in
   * (`id` is the gateway's principal: `oidc:<sub>`, `agent:<email>`, a static token's name).
   */
  agent?: { id: string; name?: string; email?: string };
}

export const MAX_NOTES = 4000;
const MAX_ID = 128;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Seconds of talk between answer and end (or `until`, for a call still going). */
export function talkSeconds(call: Pick<CallSession, 'connectedAt' | 'endedAt'>, until: Date) {
  if (!call.connectedAt) return 0;
  const end = call.endedAt ? Date.parse(call.endedAt) : until.getTime();
  return Math.max(0, Math.round((end - Date.parse(call.connectedAt)) / 1000));
}

export interface BuildInput {
  id: string;
  call: CallSession;
  match: Match | null;
  draft: Pick<WrapUpDraft, 'disposition' | 'notes' | 'followUpOn' | 'caseId'>;
  dispositions: readonly Disposition[];
  now: Date;
  /** The agent chose "Make me their manager" (only for a call with a known customer). */
  makeMeManager?: boolean;
}

/** What the agent must fix before a wrap-up can be logged; `field` names the form field. */
export class WrapUpProblem extends Error {
  constructor(
    readonly field: 'disposition' | 'notes' | 'followUpOn',
    message: string,
  ) {
    super(message);
  }
}

/** The event for a wrap-up; an Error says what the agent must fix first. */
export function buildAfterCallEvent(input: BuildInput): AfterCallEvent | Error {
  const { call, match, draft, now } = input;
  const disposition = input.dispositions.find((d) => d.code === draft.disposition);
  if (!disposition) return new WrapUpProblem('disposition', 'Pick a disposition.');
  const notes = draft.notes.trim();
  if (notes.length > MAX_NOTES)
    return new WrapUpProblem('notes', `Notes are limited to ${MAX_NOTES} characters.`);
  if (draft.followUpOn && !isDate(draft.followUpOn))
    return new WrapUpProblem('followUpOn', 'The follow-up date is not a date.');
  const caseId = draft.caseId && match?.cases.some((c) => c.id === draft.caseId) && draft.caseId;
  const name = match ? displayName(match) : undefined;
  return {
    id: input.id,
    type: 'call.logged',
    callId: call.id,
    ...(call.callId ? { platformCallId: call.callId } : {}),
    identity: call.identity,
    rawNumber: call.rawNumber,
    profile: match
      ? { id: match.profile.id, source: match.profile.source, ...(name ? { name } : {}) }
      : null,
    ...(caseId ? { caseId } : {}),
    disposition: { code: disposition.code, label: disposition.label },
    notes,
    ...(draft.followUpOn ? { followUpOn: draft.followUpOn } : {}),
    ringingAt: call.ringingAt,
    ...(call.connectedAt ? { connectedAt: call.connectedAt } : {}),
    endedAt: call.endedAt ?? now.toISOString(),
    talkSeconds: talkSeconds(call, now),
    loggedAt: now.toISOString(),
    ...(input.makeMeManager && match ? { makeMeManager: true } : {}),
  };
}

function displayName(match: Match): string | undefined {
  const p = match.profile;
  return p.displayName ?? ([p.firstName, p.lastName].filter(Boolean).join(' ') || undefined);
}

/**
 * Checks an event that arrives from another context (the sidebar, a message sender, the
 * gateway's client): nothing is trusted, and a bad event is refused whole with the reason.
 */
export function parseAfterCallEvent(data: unknown): AfterCallEvent | Error {
  if (!isObject(data)) return new Error('the event must be an object');
  const d = data;
  if (typeof d.id !== 'string' || !UUID.test(d.id)) return new Error('id must be a UUID');
  if (d.type !== 'call.logged') return new Error('type must be "call.logged"');
  if (!isText(d.callId, MAX_ID)) return new Error('callId must be a string');
  if (d.platformCallId !== undefined && !isText(d.platformCallId, MAX_ID))
    return new Error('platformCallId must be a string');
  const identity = d.identity;
  if (
    identity !== null &&
    !(isObject(identity) && isText(identity.namespace, 64) && isText(identity.value, 256))
  )
    return new Error('identity must be { namespace, value } or null');
  if (!isText(d.rawNumber, 256)) return new Error('rawNumber must be a string');
  const profile = d.profile;
  if (
    profile !== null &&
    !(
      isObject(profile) &&
      isText(profile.id, 256) &&
      isText(profile.source, 64) &&
      (profile.name === undefined || isText(profile.name, 256))
    )
  )
    return new Error('profile must be { id, source, name? } or null');
  if (d.caseId !== undefined && !isText(d.caseId, 256)) return new Error('caseId must be a string');
  const disposition = d.disposition;
  if (!(isObject(disposition) && isText(disposition.code, 64) && isText(disposition.label, 128)))
    return new Error('disposition must be { code, label }');
  if (typeof d.notes !== 'string' || d.notes.length > MAX_NOTES)
    return new Error(`notes must be a string of at most ${MAX_NOTES} characters`);
  if (d.followUpOn !== undefined && !(typeof d.followUpOn === 'string' && isDate(d.followUpOn)))
    return new Error('followUpOn must be a date (YYYY-MM-DD)');
  for (const key of ['ringingAt', 'loggedAt'] as const)
    if (!isInstant(d[key])) return new Error(`${key} must be an ISO 8601 time`);
  for (const key of ['connectedAt', 'endedAt'] as const)
    if (d[key] !== undefined && !isInstant(d[key]))
      return new Error(`${key} must be an ISO 8601 time`);
  if (typeof d.talkSeconds !== 'number' || !Number.isInteger(d.talkSeconds) || d.talkSeconds < 0)
    return new Error('talkSeconds must be a whole number of seconds');
  if (d.makeMeManager !== undefined && typeof d.makeMeManager !== 'boolean')
    return new Error('makeMeManager must be true or false');
  const event: AfterCallEvent = {
    id: d.id,
    type: 'call.logged',
    callId: d.callId as string,
    ...(d.platformCallId !== undefined ? { platformCallId: d.platformCallId as string } : {}),
    identity:
      identity === null
        ? null
        : { namespace: identity.namespace as string, value: identity.value as string },
    rawNumber: d.rawNumber as string,
    profile:
      profile === null
        ? null
        : {
            id: profile.id as string,
            source: profile.source as string,
            ...(profile.name !== undefined ? { name: profile.name as string } : {}),
          },
    ...(d.caseId !== undefined ? { caseId: d.caseId as string } : {}),
    disposition: { code: disposition.code as string, label: disposition.label as string },
    notes: d.notes,
    ...(d.followUpOn !== undefined ? { followUpOn: d.followUpOn as string } : {}),
    ringingAt: d.ringingAt as string,
    ...(d.connectedAt !== undefined ? { connectedAt: d.connectedAt as string } : {}),
    ...(d.endedAt !== undefined ? { endedAt: d.endedAt as string } : {}),
    talkSeconds: d.talkSeconds,
    loggedAt: d.loggedAt as string,
    // `newManager` is the gateway's to set; what a client sends in it is dropped here.
    ...(d.makeMeManager === true ? { makeMeManager: true } : {}),
  };
  return event;
}

/** Checks a draft sent by the sidebar. */
export function parseWrapUpDraft(data: unknown): WrapUpDraft | Error {
  if (!isObject(data)) return new Error('the draft must be an object');
  if (!isText(data.callId, MAX_ID)) return new Error('callId must be a string');
  for (const key of ['disposition', 'followUpOn', 'caseId'] as const)
    if (typeof data[key] !== 'string' || (data[key] as string).length > 256)
      return new Error(`${key} must be a string`);
  if (typeof data.notes !== 'string' || data.notes.length > MAX_NOTES)
    return new Error(`notes must be a string of at most ${MAX_NOTES} characters`);
  if (!isInstant(data.updatedAt)) return new Error('updatedAt must be an ISO 8601 time');
  return {
    callId: data.callId as string,
    disposition: data.disposition as string,
    notes: data.notes,
    followUpOn: data.followUpOn as string,
    caseId: data.caseId as string,
    updatedAt: data.updatedAt as string,
  };
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

function isInstant(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

function isDate(value: string): boolean {
  return DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** What the sidebar shows of the outbox. */
export interface OutboxStatus {
  pending: number;
  /** Delivered and kept for 7 days. */
  sent: number;
  failed: number;
  /** The refused events, newest first (at most 50), for the agent to retry or export. */
  failedEvents: {
    id: string;
    loggedAt: string;
    disposition: string;
    /** The disposition's code, so that pages show a default one in the agent's language. */
    dispositionCode?: string;
    error: string;
    /** `error` as a code, for the pages to word in the agent's language. */
    problem?: Problem;
  }[];
  /** Set while the gateway is being retried: when the next try is due, and why. */
  retryAt?: string;
  lastError?: string;
  lastProblem?: Problem;
}
