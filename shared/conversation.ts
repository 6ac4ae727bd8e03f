import type { Disposition, WrapUpDraft } from './after-call';
import type { CallSession } from './call';
import type { Insight } from './insights';
import { isRecord } from './json';
import type { Problem } from './problem';

/**
 * A conversation shared by the agents on one customer's call (docs/architecture.md,
 * "Conversations"): who has been on it, the customer the first agent picked where several share
 * the number, handoff notes and side-channel notes. The gateway keeps it in its store for a day
 * from the call's start; only agents reach it, with their own token. This is the shape the
 * gateway answers with and the extension keeps.
 */
export interface Conversation {
  id: string;
  /** ISO 8601: when the first agent joined. */
  startedAt: string;
  /** ISO 8601: when the gateway forgets it (a day after `startedAt` by default). */
  expiresAt: string;
  /** The caller, `namespace:value`, when an agent's page showed one. */
  identity?: string;
  /** The telephony platform's own call ids that lead here. */
  callIds: string[];
  /** Everyone who has been on it, in the order they joined. */
  participants: Participant[];
  /** Side-channel notes, oldest first. Never sent to the customer or a platform. */
  notes: ConversationNote[];
  /** "Hand over"s, oldest first. */
  handoffs: Handoff[];
  /** The customer an agent picked where several share the number. */
  picked?: PickedCustomer;
  /** What the agents on the call see of the caller, for the supervisors' "Live calls". */
  summary?: CallerSummary;
}

/** An agent as the conversation names them: `key` is their email (or `id:<OIDC sub>`). */
export interface ConversationAgent {
  key: string;
  name: string;
}

export type ParticipantRole = 'agent' | 'monitor';

export interface Participant extends ConversationAgent {
  /** `monitor`: a supervisor listening in, who may add notes. */
  role: ParticipantRole;
  joinedAt: string;
  /** Set when they left (hung up, handed over); absent while they are on the call. */
  leftAt?: string;
  /** Their extension's last word (a join or a heartbeat). */
  seenAt: string;
  /** They left by "Hand over". */
  handedOver?: boolean;
}

export interface ConversationNote {
  /** Made by the writer's browser, so a retried post is one note. */
  id: string;
  at: string;
  by: ConversationAgent;
  text: string;
}

/** What the previous agent had typed in the wrap-up when they handed over. */
export interface HandoffWrapUp {
  disposition: string;
  /** The disposition's label in the handing agent's config. */
  dispositionLabel?: string;
  notes: string;
  followUpOn?: string;
  caseId?: string;
}

export interface Handoff {
  id: string;
  at: string;
  by: ConversationAgent;
  note: string;
  /**
   * The agent's call ended (a transfer by the telephony platform, or a hang-up) without "Hand
   * over": what they had is handed on all the same, without a note.
   */
  ended?: boolean;
  /** The customer as picked at the moment of the handover. */
  picked?: PickedCustomer;
  wrapUp?: HandoffWrapUp;
}

export interface PickedCustomer {
  profileId: string;
  name?: string;
  by: ConversationAgent;
  at: string;
}

export interface CallerSummary {
  name?: string;
  tier?: string;
  /** ISO 8601: since when the caller is on the line (answered, else rang). */
  since?: string;
  /** The readings of the caller's activity the agent sees (none where consent withholds it). */
  insights: Insight[];
  at: string;
}

/** The gateway's answer to a join, a read or a change: the conversation and who you are in it. */
export interface ConversationAnswer {
  conversation: Conversation;
  you: ConversationAgent & { role: ParticipantRole; supervisor: boolean };
}

/** An agent of the team with their presence, for "Live calls". */
export interface TeamAgent {
  key: string;
  name: string;
  email?: string;
  supervisor?: boolean;
  state: 'available' | 'busy' | 'wrap_up' | 'offline';
  /** ISO 8601: when their extension last reported it. */
  at?: string;
}

/** A call going on now, for "Live calls". */
export interface LiveCall {
  id: string;
  startedAt: string;
  identity?: string;
  summary?: CallerSummary;
  picked?: PickedCustomer;
  /** The agents on it now. */
  agents: (ConversationAgent & { role: ParticipantRole; joinedAt: string })[];
  notes: number;
}

export interface LiveCallsAnswer {
  agents: TeamAgent[];
  calls: LiveCall[];
}

/**
 * A call's shared conversation as the extension's pages show it (README, "Conversations"):
 * the worker's copy, kept current by the gateway's notes stream.
 */
export interface ConversationState {
  /** The call session's id, or `monitor:<conversation id>` on the Live calls page. */
  callId: string;
  answer: ConversationAnswer;
  /** This agent handed the call over: no more heartbeats; notes still arrive. */
  handedOver: boolean;
}

export type ConversationResult =
  | { ok: true }
  | {
      ok: false;
      error: string;
      reason?: 'no_agent' | 'not_supervisor' | 'not_found';
      problem?: Problem;
    };

export type LiveCallsResult =
  | { ok: true; live: LiveCallsAnswer }
  | Exclude<ConversationResult, { ok: true }>;

export type MonitorResult =
  | { ok: true; session: CallSession; state: ConversationState }
  | Exclude<ConversationResult, { ok: true }>;

/**
 * The wrap-up typed so far, as it goes with a handover: the draft the extension keeps for the
 * call, with its disposition's label; undefined while nothing is typed.
 */
export function wrapUpSoFar(
  draft: Pick<WrapUpDraft, 'disposition' | 'notes' | 'followUpOn' | 'caseId'> | null | undefined,
  dispositions: readonly Disposition[],
): HandoffWrapUp | undefined {
  if (!draft || (!draft.disposition && !draft.notes.trim())) return undefined;
  const label = dispositions.find((d) => d.code === draft.disposition)?.label;
  return {
    disposition: draft.disposition,
    notes: draft.notes,
    ...(label ? { dispositionLabel: label } : {}),
    ...(draft.followUpOn ? { followUpOn: draft.followUpOn } : {}),
    ...(draft.caseId ? { caseId: draft.caseId } : {}),
  };
}

/** The longest note, handoff note and wrap-up notes the gateway takes. */
export const MAX_NOTE_LENGTH = 2000;
/** Notes one conversation holds at most. */
export const MAX_NOTES = 200;

/**
 * The call an agent is on now: a participant with the `agent` role who has not left and whose
 * extension was heard from lately. `staleMs`: how long silence is forgiven.
 */
export function onTheCall(participant: Participant, now: number, staleMs: number): boolean {
  if (participant.leftAt) return false;
  return now - Date.parse(participant.seenAt) <= staleMs;
}

/** The newest handoff by someone else than `me`, the one the sidebar shows as "From …". */
export function latestHandoffFor(conversation: Conversation, me: string): Handoff | undefined {
  for (let i = conversation.handoffs.length - 1; i >= 0; i--) {
    const handoff = conversation.handoffs[i];
    if (handoff && handoff.by.key !== me) return handoff;
  }
  return undefined;
}

// ----- validation of what arrives over the wire ---------------------------------------------

type Parsed<T> = T | undefined;

const text = (value: unknown, max = MAX_NOTE_LENGTH): Parsed<string> =>
  typeof value === 'string' && value.length <= max ? value : undefined;
const time = (value: unknown): Parsed<string> =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;

function agentOf(value: unknown): Parsed<ConversationAgent> {
  if (!isRecord(value)) return undefined;
  const key = text(value.key, 320);
  const name = text(value.name, 256);
  return key && name !== undefined ? { key, name } : undefined;
}

function participantOf(value: unknown): Parsed<Participant> {
  const agent = agentOf(value);
  if (!agent || !isRecord(value)) return undefined;
  const role = value.role === 'monitor' ? 'monitor' : value.role === 'agent' ? 'agent' : undefined;
  const joinedAt = time(value.joinedAt);
  const seenAt = time(value.seenAt);
  if (!role || !joinedAt || !seenAt) return undefined;
  const leftAt = time(value.leftAt);
  return {
    ...agent,
    role,
    joinedAt,
    seenAt,
    ...(leftAt ? { leftAt } : {}),
    ...(value.handedOver === true ? { handedOver: true } : {}),
  };
}

function noteOf(value: unknown): Parsed<ConversationNote> {
  if (!isRecord(value)) return undefined;
  const id = text(value.id, 64);
  const at = time(value.at);
  const by = agentOf(value.by);
  const body = text(value.text);
  return id && at && by && body !== undefined ? { id, at, by, text: body } : undefined;
}

export function pickedOf(value: unknown): Parsed<PickedCustomer> {
  if (!isRecord(value)) return undefined;
  const profileId = text(value.profileId, 512);
  const by = agentOf(value.by);
  const at = time(value.at);
  const name = text(value.name, 256);
  if (!profileId || !by || !at) return undefined;
  return { profileId, by, at, ...(name ? { name } : {}) };
}

/** A wrap-up so far, as an agent's page sends it with a handover; undefined when it is not one. */
export function handoffWrapUpOf(value: unknown): Parsed<HandoffWrapUp> {
  if (!isRecord(value)) return undefined;
  const disposition = text(value.disposition, 64);
  const notes = text(value.notes);
  if (disposition === undefined || notes === undefined) return undefined;
  const label = text(value.dispositionLabel, 128);
  const followUpOn = text(value.followUpOn, 10);
  const caseId = text(value.caseId, 256);
  return {
    disposition,
    notes,
    ...(label ? { dispositionLabel: label } : {}),
    ...(followUpOn && /^\d{4}-\d{2}-\d{2}$/.test(followUpOn) ? { followUpOn } : {}),
    ...(caseId ? { caseId } : {}),
  };
}

function handoffOf(value: unknown): Parsed<Handoff> {
  if (!isRecord(value)) return undefined;
  const id = text(value.id, 64);
  const at = time(value.at);
  const by = agentOf(value.by);
  const note = text(value.note);
  if (!id || !at || !by || note === undefined) return undefined;
  const picked = pickedOf(value.picked);
  const wrapUp = handoffWrapUpOf(value.wrapUp);
  return {
    id,
    at,
    by,
    note,
    ...(value.ended === true ? { ended: true } : {}),
    ...(picked ? { picked } : {}),
    ...(wrapUp ? { wrapUp } : {}),
  };
}

const INSIGHT_KINDS = new Set([
  'abandoned_cart',
  'read_returns',
  'compared_products',
  'payment_trouble',
  'repeated_search',
]);

/**
 * Insights as an agent's extension reads them (shared/insights.ts), checked field by field: a
 * supervisor's page renders them, so nothing else passes.
 */
export function insightsOf(value: unknown): Insight[] {
  if (!Array.isArray(value)) return [];
  const found: Insight[] = [];
  for (const item of value.slice(0, 10)) {
    if (!isRecord(item) || typeof item.kind !== 'string' || !INSIGHT_KINDS.has(item.kind)) continue;
    const at = time(item.at);
    const events = Array.isArray(item.events)
      ? item.events.filter((id): id is string => typeof id === 'string' && id.length <= 128)
      : [];
    const count = (n: unknown) =>
      typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < 10_000 ? n : undefined;
    if (!at) continue;
    const base = { at, events: events.slice(0, 50) };
    switch (item.kind) {
      case 'abandoned_cart': {
        const items = count(item.items);
        if (items === undefined) break;
        const value = typeof item.value === 'number' && Number.isFinite(item.value);
        const currency = text(item.currency, 8);
        found.push({
          kind: 'abandoned_cart',
          items,
          ...(value ? { value: item.value as number } : {}),
          ...(currency ? { currency } : {}),
          ...base,
        });
        break;
      }
      case 'read_returns': {
        const times = count(item.times);
        if (times !== undefined) found.push({ kind: 'read_returns', times, ...base });
        break;
      }
      case 'payment_trouble': {
        const attempts = count(item.attempts);
        if (attempts !== undefined) found.push({ kind: 'payment_trouble', attempts, ...base });
        break;
      }
      case 'compared_products': {
        const products = Array.isArray(item.products)
          ? item.products.filter((p): p is string => typeof p === 'string' && p.length <= 200)
          : [];
        if (products.length > 0)
          found.push({ kind: 'compared_products', products: products.slice(0, 5), ...base });
        break;
      }
      case 'repeated_search': {
        const times = count(item.times);
        const query = text(item.query, 200);
        if (times !== undefined && query !== undefined)
          found.push({ kind: 'repeated_search', query, times, ...base });
        break;
      }
    }
  }
  return found;
}

export function summaryOf(value: unknown): Parsed<CallerSummary> {
  if (!isRecord(value)) return undefined;
  const at = time(value.at);
  if (!at) return undefined;
  const name = text(value.name, 256);
  const tier = text(value.tier, 64);
  const since = time(value.since);
  return {
    at,
    insights: insightsOf(value.insights),
    ...(name ? { name } : {}),
    ...(tier ? { tier } : {}),
    ...(since ? { since } : {}),
  };
}

function listOf<T>(value: unknown, parse: (item: unknown) => Parsed<T>): T[] {
  if (!Array.isArray(value)) return [];
  return value.map(parse).filter((item): item is T => item !== undefined);
}

/** A conversation as the gateway sent it, checked; an Error says what does not fit. */
export function parseConversation(value: unknown): Conversation | Error {
  if (!isRecord(value)) return new Error('a conversation must be an object');
  const id = text(value.id, 64);
  const startedAt = time(value.startedAt);
  const expiresAt = time(value.expiresAt);
  if (!id || !startedAt || !expiresAt)
    return new Error('a conversation needs an id, startedAt and expiresAt');
  const identity = text(value.identity, 320);
  const picked = pickedOf(value.picked);
  const summary = summaryOf(value.summary);
  return {
    id,
    startedAt,
    expiresAt,
    ...(identity ? { identity } : {}),
    callIds: listOf(value.callIds, (item) => text(item, 128)),
    participants: listOf(value.participants, participantOf),
    notes: listOf(value.notes, noteOf),
    handoffs: listOf(value.handoffs, handoffOf),
    ...(picked ? { picked } : {}),
    ...(summary ? { summary } : {}),
  };
}

/** `{ conversation, you }` as the gateway sent it, checked. */
export function parseConversationAnswer(value: unknown): ConversationAnswer | Error {
  if (!isRecord(value)) return new Error('the answer must be an object');
  const conversation = parseConversation(value.conversation);
  if (conversation instanceof Error) return conversation;
  const you = isRecord(value.you) ? value.you : undefined;
  const agent = agentOf(you);
  if (!agent || !you) return new Error('the answer does not say who you are');
  return {
    conversation,
    you: {
      ...agent,
      role: you.role === 'monitor' ? 'monitor' : 'agent',
      supervisor: you.supervisor === true,
    },
  };
}

const STATES = new Set(['available', 'busy', 'wrap_up', 'offline']);

/** `GET /v1/conversations/live` as the gateway sent it, checked. */
export function parseLiveCalls(value: unknown): LiveCallsAnswer | Error {
  if (!isRecord(value) || !Array.isArray(value.agents) || !Array.isArray(value.calls))
    return new Error('the answer must be { agents, calls }');
  const agents = listOf(value.agents, (item): Parsed<TeamAgent> => {
    const agent = agentOf(item);
    if (!agent || !isRecord(item) || typeof item.state !== 'string' || !STATES.has(item.state))
      return undefined;
    const email = text(item.email, 320);
    const at = time(item.at);
    return {
      ...agent,
      state: item.state as TeamAgent['state'],
      ...(email ? { email } : {}),
      ...(at ? { at } : {}),
      ...(item.supervisor === true ? { supervisor: true } : {}),
    };
  });
  const calls = listOf(value.calls, (item): Parsed<LiveCall> => {
    if (!isRecord(item)) return undefined;
    const id = text(item.id, 64);
    const startedAt = time(item.startedAt);
    if (!id || !startedAt) return undefined;
    const identity = text(item.identity, 320);
    const summary = summaryOf(item.summary);
    const picked = pickedOf(item.picked);
    const on = listOf(item.agents, (a) => {
      const p = agentOf(a);
      if (!p || !isRecord(a)) return undefined;
      const joinedAt = time(a.joinedAt);
      if (!joinedAt) return undefined;
      return {
        ...p,
        role: a.role === 'monitor' ? ('monitor' as const) : ('agent' as const),
        joinedAt,
      };
    });
    return {
      id,
      startedAt,
      agents: on,
      notes: typeof item.notes === 'number' ? item.notes : 0,
      ...(identity ? { identity } : {}),
      ...(summary ? { summary } : {}),
      ...(picked ? { picked } : {}),
    };
  });
  return { agents, calls };
}
