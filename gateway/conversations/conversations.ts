import { randomUUID } from 'node:crypto';
import {
  type CallerSummary,
  type Conversation,
  type ConversationAgent,
  type ConversationNote,
  type Handoff,
  type HandoffWrapUp,
  type LiveCall,
  MAX_NOTES,
  onTheCall,
  type Participant,
  type ParticipantRole,
  type PickedCustomer,
  parseConversation,
} from '../../shared/conversation';
import type { Store, Subscription } from '../store/store';
import type { ConversationsConfig } from './conversation-config';

/**
 * An agent's extension says it is still on the call once a minute; one missed heartbeat is
 * forgiven, a closed laptop is not on the call for longer than this.
 */
export const PARTICIPANT_STALE_MS = 150_000;
/** Who the team is: agents heard from within this long (README, "Conversations"). */
export const TEAM_MEMORY_MS = 24 * 3600_000;

/** The signed-in agent as conversations name them, with what their token allows. */
export interface ConversationMember extends ConversationAgent {
  email?: string;
  /** The agent's id in the CRM or the OIDC `sub`, for presence. */
  id?: string;
  /** The token carries the supervisor role (README, "Supervisors"). */
  supervisor: boolean;
}

export interface JoinRequest {
  /** The telephony platform's own call id, where the agent's page shows one. */
  callId?: string;
  /** The caller, `namespace:value`, normalized. */
  identity?: string;
  summary?: Omit<CallerSummary, 'at'>;
}

export type ConversationProblem = 'not_found' | 'forbidden' | 'full';

/** A request the conversation cannot take; routes turn it into 404, 403 or 409. */
export class ConversationError extends Error {
  override name = 'ConversationError';
  constructor(
    readonly problem: ConversationProblem,
    message: string,
  ) {
    super(message);
  }
}

/** A member of the team as "Live calls" lists them. */
export interface TeamMember {
  key: string;
  name: string;
  email?: string;
  id?: string;
  supervisor?: boolean;
  seenAt: string;
}

// Store keys (the store adds its own prefix). One hash per conversation, each concern in its own
// field, so that agents writing at once (a note, a pick, a heartbeat) never overwrite each other.
const recordKey = (id: string) => `conversation:${id}`;
const callKey = (callId: string) => `conversation-call:${callId}`;
const identityKey = (identity: string) => `conversation-identity:${identity}`;
/** Which conversation took over a caller's identity from an older one (a compare-and-set). */
const successorKey = (id: string) => `conversation-next:${id}`;
const channelOf = (id: string) => `conversation:${id}`;
const LIVE_KEY = 'conversations-live';
const TEAM_KEY = 'conversation-team';

const NOTE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Conversations in the gateway's store (gateway/store/store.ts), the same on every replica:
 * found by the platform's call id, else by the caller's identity within `linkMinutes` of an
 * earlier agent's call; kept `retentionHours` from the start, never longer (each write sets the
 * time left, not a new day). Changes are published on the conversation's channel, which every
 * replica's followers hear.
 */
export class Conversations {
  readonly #store: Store;
  readonly #config: ConversationsConfig;
  readonly #now: () => number;
  readonly #newId: () => string;

  constructor(
    store: Store,
    config: ConversationsConfig,
    options: { now?: () => number; newId?: () => string } = {},
  ) {
    this.#store = store;
    this.#config = config;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? randomUUID;
  }

  /**
   * The agent joins (or, already on it, says so again: the heartbeat) the conversation of their
   * call, which is found or started here.
   */
  async join(agent: ConversationMember, request: JoinRequest): Promise<Conversation> {
    if (!request.callId && !request.identity)
      throw new ConversationError('not_found', 'a call id or the caller’s identity is required');
    const now = this.#now();
    const conversation =
      (request.callId ? await this.#byCallId(request.callId) : undefined) ??
      (await this.#findOrStart(request, now));
    const fields: Record<string, string> = {
      [`p:${agent.key}`]: JSON.stringify(this.#joined(conversation, agent, 'agent', now)),
    };
    if (request.callId) fields[`c:${request.callId}`] = '1';
    if (request.summary)
      fields.summary = JSON.stringify({ ...request.summary, at: iso(now) } satisfies CallerSummary);
    await this.#write(conversation, fields);
    const ttlMs = this.#ttl(conversation);
    const keys: Promise<unknown>[] = [
      this.#store.hashSet(
        LIVE_KEY,
        { [conversation.id]: conversation.expiresAt },
        {
          ttlMs: TEAM_MEMORY_MS,
        },
      ),
      this.remember(agent),
    ];
    if (request.callId && !conversation.callIds.includes(request.callId))
      keys.push(this.#store.set(callKey(request.callId), conversation.id, { ttlMs }));
    await Promise.all(keys);
    return this.#read(conversation.id);
  }

  /** A supervisor listens in: a participant with the `monitor` role, who may add notes. */
  async monitor(id: string, agent: ConversationMember): Promise<Conversation> {
    if (!agent.supervisor)
      throw new ConversationError('forbidden', 'only a supervisor may listen in on a call');
    const conversation = await this.#read(id);
    const now = this.#now();
    const current = conversation.participants.find((p) => p.key === agent.key);
    // An agent on the call who is also a supervisor stays an agent.
    const role: ParticipantRole = current?.role === 'agent' ? 'agent' : 'monitor';
    await this.#write(conversation, {
      [`p:${agent.key}`]: JSON.stringify(this.#joined(conversation, agent, role, now)),
    });
    await this.remember(agent);
    return this.#read(id);
  }

  /** The conversation, for one who has been on it or a supervisor. */
  async get(id: string, agent: ConversationMember): Promise<Conversation> {
    const conversation = await this.#read(id);
    this.#roleOf(conversation, agent, 'any');
    return conversation;
  }

  /** A side-channel note; a repeated note id is the same note. */
  async addNote(
    id: string,
    agent: ConversationMember,
    note: { id?: string; text: string },
  ): Promise<ConversationNote> {
    const conversation = await this.#read(id);
    this.#roleOf(conversation, agent, 'participant');
    const noteId = note.id && NOTE_ID.test(note.id) ? note.id : this.#newId();
    const known = conversation.notes.find((n) => n.id === noteId);
    if (known) return known;
    if (conversation.notes.length >= MAX_NOTES)
      throw new ConversationError('full', `a conversation keeps at most ${MAX_NOTES} notes`);
    const written: ConversationNote = {
      id: noteId,
      at: iso(this.#now()),
      by: { key: agent.key, name: agent.name },
      text: note.text,
    };
    await this.#write(conversation, { [`n:${noteId}`]: JSON.stringify(written) });
    return written;
  }

  /** The customer the agent picked where several share the number; the next agent sees it. */
  async pick(
    id: string,
    agent: ConversationMember,
    picked: { profileId: string; name?: string },
  ): Promise<PickedCustomer> {
    const conversation = await this.#read(id);
    this.#roleOf(conversation, agent, 'agent');
    const written: PickedCustomer = {
      profileId: picked.profileId,
      ...(picked.name ? { name: picked.name } : {}),
      by: { key: agent.key, name: agent.name },
      at: iso(this.#now()),
    };
    await this.#write(conversation, { picked: JSON.stringify(written) });
    return written;
  }

  /** "Hand over": the note, the pick and the wrap-up so far for the next agent; this one leaves. */
  async handOver(
    id: string,
    agent: ConversationMember,
    handoff: { note: string; wrapUp?: HandoffWrapUp },
  ): Promise<Handoff> {
    const conversation = await this.#read(id);
    const participant = this.#roleOf(conversation, agent, 'agent');
    const now = iso(this.#now());
    const written: Handoff = {
      id: this.#newId(),
      at: now,
      by: { key: agent.key, name: agent.name },
      note: handoff.note,
      ...(conversation.picked ? { picked: conversation.picked } : {}),
      ...(handoff.wrapUp ? { wrapUp: handoff.wrapUp } : {}),
    };
    const left: Participant = { ...participant, leftAt: now, seenAt: now, handedOver: true };
    await this.#write(conversation, {
      [`h:${written.id}`]: JSON.stringify(written),
      [`p:${agent.key}`]: JSON.stringify(left),
    });
    return written;
  }

  /**
   * The agent's call ended (or they stopped listening in). An agent's call that ends without
   * "Hand over" (the platform transferred it, or the caller hung up and may call again) hands on
   * what they had all the same: the pick and their wrap-up so far, without a note.
   */
  async leave(
    id: string,
    agent: ConversationMember,
    options: { wrapUp?: HandoffWrapUp } = {},
  ): Promise<Conversation> {
    const conversation = await this.#read(id);
    const participant = this.#roleOf(conversation, agent, 'participant');
    if (!participant.leftAt) {
      const now = iso(this.#now());
      const fields: Record<string, string> = {
        [`p:${agent.key}`]: JSON.stringify({ ...participant, leftAt: now, seenAt: now }),
      };
      if (participant.role === 'agent') {
        const handoff: Handoff = {
          id: this.#newId(),
          at: now,
          by: { key: agent.key, name: agent.name },
          note: '',
          ended: true,
          ...(conversation.picked ? { picked: conversation.picked } : {}),
          ...(options.wrapUp ? { wrapUp: options.wrapUp } : {}),
        };
        fields[`h:${handoff.id}`] = JSON.stringify(handoff);
      }
      await this.#write(conversation, fields);
    }
    return this.#read(id);
  }

  /** Calls with an agent on them now, newest first, for "Live calls". */
  async live(): Promise<LiveCall[]> {
    const ids = Object.keys(await this.#store.hashGetAll(LIVE_KEY));
    const now = this.#now();
    const found = await Promise.all(ids.map((id) => this.#load(id)));
    const over: string[] = [];
    const calls: LiveCall[] = [];
    found.forEach((conversation, i) => {
      const on = conversation?.participants.filter((p) => onTheCall(p, now, PARTICIPANT_STALE_MS));
      if (!conversation || !on?.some((p) => p.role === 'agent')) {
        over.push(ids[i] as string);
        return;
      }
      calls.push({
        id: conversation.id,
        startedAt: conversation.startedAt,
        ...(conversation.identity ? { identity: conversation.identity } : {}),
        ...(conversation.summary ? { summary: conversation.summary } : {}),
        ...(conversation.picked ? { picked: conversation.picked } : {}),
        agents: on.map((p) => ({ key: p.key, name: p.name, role: p.role, joinedAt: p.joinedAt })),
        notes: conversation.notes.length,
      });
    });
    // A call nobody is on any more leaves the list; the next heartbeat of an agent brings it back.
    if (over.length > 0) await this.#store.hashDelete(LIVE_KEY, over);
    return calls.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Agents heard from (a join, presence) in the last day. */
  async team(): Promise<TeamMember[]> {
    const entries = await this.#store.hashGetAll(TEAM_KEY);
    const oldest = this.#now() - TEAM_MEMORY_MS;
    const members: TeamMember[] = [];
    const gone: string[] = [];
    for (const [key, value] of Object.entries(entries)) {
      const member = parseMember(value);
      if (member && Date.parse(member.seenAt) > oldest) members.push(member);
      else gone.push(key);
    }
    if (gone.length > 0) await this.#store.hashDelete(TEAM_KEY, gone);
    return members;
  }

  /** Keeps the agent on the team's list (presence reports call this too). */
  async remember(agent: ConversationMember): Promise<void> {
    const member: TeamMember = {
      key: agent.key,
      name: agent.name,
      ...(agent.email ? { email: agent.email } : {}),
      ...(agent.id ? { id: agent.id } : {}),
      ...(agent.supervisor ? { supervisor: true } : {}),
      seenAt: iso(this.#now()),
    };
    await this.#store.hashSet(
      TEAM_KEY,
      { [agent.key]: JSON.stringify(member) },
      { ttlMs: TEAM_MEMORY_MS },
    );
  }

  /** Calls `onChange` whenever the conversation changes, on any replica. */
  subscribe(id: string, onChange: () => void): Promise<Subscription> {
    return this.#store.subscribe(channelOf(id), () => onChange());
  }

  /** The conversation as it is now; `not_found` once it has expired. */
  async #read(id: string): Promise<Conversation> {
    const conversation = await this.#load(id);
    if (!conversation) throw new ConversationError('not_found', 'no such conversation');
    return conversation;
  }

  async #load(id: string): Promise<Conversation | undefined> {
    const fields = await this.#store.hashGetAll(recordKey(id));
    const meta = parseJson(fields.meta);
    if (typeof meta !== 'object' || meta === null) return undefined;
    const group = (prefix: string) =>
      Object.entries(fields)
        .filter(([field]) => field.startsWith(prefix))
        .map(([, value]) => parseJson(value));
    const byTime = <T extends { at: string }>(a: T, b: T) => a.at.localeCompare(b.at);
    const parsed = parseConversation({
      ...meta,
      callIds: Object.keys(fields)
        .filter((field) => field.startsWith('c:'))
        .map((field) => field.slice(2)),
      participants: group('p:'),
      notes: group('n:'),
      handoffs: group('h:'),
      picked: parseJson(fields.picked),
      summary: parseJson(fields.summary),
    });
    if (parsed instanceof Error) return undefined;
    // The store drops it on time; a clock a little ahead of the store's must not bring it back.
    if (Date.parse(parsed.expiresAt) <= this.#now()) return undefined;
    return {
      ...parsed,
      participants: parsed.participants.sort(
        (a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.key.localeCompare(b.key),
      ),
      notes: parsed.notes.sort(byTime),
      handoffs: parsed.handoffs.sort(byTime),
    };
  }

  async #byCallId(callId: string): Promise<Conversation | undefined> {
    const id = await this.#store.get(callKey(callId));
    return id ? this.#load(id) : undefined;
  }

  /**
   * The conversation of the caller's identity when an agent's call of theirs is on, or ended
   * within `linkMinutes`; otherwise a new one, claimed under the call id and the identity so that
   * two agents starting at once end up in the same one.
   */
  async #findOrStart(request: JoinRequest, now: number): Promise<Conversation> {
    const linked = request.identity ? await this.#byIdentity(request.identity, now) : {};
    if (linked.conversation) return linked.conversation;
    const startedAt = now;
    const fresh: Conversation = {
      id: this.#newId(),
      startedAt: iso(startedAt),
      expiresAt: iso(startedAt + this.#config.retentionHours * 3600_000),
      ...(request.identity ? { identity: request.identity } : {}),
      callIds: [],
      participants: [],
      notes: [],
      handoffs: [],
    };
    const ttlMs = this.#ttl(fresh);
    if (request.callId) {
      const claimed = await this.#store.set(callKey(request.callId), fresh.id, {
        ifAbsent: true,
        ttlMs,
      });
      if (!claimed) {
        const other = await this.#byCallId(request.callId);
        if (other) return other;
        await this.#store.set(callKey(request.callId), fresh.id, { ttlMs });
      }
    }
    if (request.identity) {
      const key = identityKey(request.identity);
      const claimed = linked.previousId
        ? await this.#store.set(successorKey(linked.previousId), fresh.id, {
            ifAbsent: true,
            ttlMs,
          })
        : await this.#store.set(key, fresh.id, { ifAbsent: true, ttlMs });
      if (claimed) {
        if (linked.previousId) await this.#store.set(key, fresh.id, { ttlMs });
      } else {
        // Another agent's join started one for this caller a moment ago: that is the call.
        const winner = linked.previousId
          ? await this.#store.get(successorKey(linked.previousId))
          : await this.#store.get(key);
        const other = winner ? await this.#load(winner) : undefined;
        if (other) {
          if (request.callId) await this.#store.set(callKey(request.callId), other.id, { ttlMs });
          return other;
        }
        await this.#store.set(key, fresh.id, { ttlMs });
      }
    }
    const { id, startedAt: started, expiresAt, identity } = fresh;
    await this.#store.hashSet(
      recordKey(id),
      { meta: JSON.stringify({ id, startedAt: started, expiresAt, identity }) },
      { ttlMs },
    );
    return fresh;
  }

  /** The identity's conversation if it may be joined now; else the id it points at, if any. */
  async #byIdentity(
    identity: string,
    now: number,
  ): Promise<{ conversation?: Conversation; previousId?: string }> {
    const id = await this.#store.get(identityKey(identity));
    if (!id) return {};
    const conversation = await this.#load(id);
    if (conversation && this.#linkable(conversation, now)) return { conversation };
    return { previousId: id };
  }

  /** An agent is on the call, or the last one left it within `linkMinutes`. */
  #linkable(conversation: Conversation, now: number): boolean {
    let last = Number.NEGATIVE_INFINITY;
    for (const p of conversation.participants) {
      if (p.role !== 'agent') continue;
      if (onTheCall(p, now, PARTICIPANT_STALE_MS)) return true;
      last = Math.max(last, Date.parse(p.leftAt ?? p.seenAt));
    }
    return now - last <= this.#config.linkMinutes * 60_000;
  }

  #joined(
    conversation: Conversation,
    agent: ConversationMember,
    role: ParticipantRole,
    now: number,
  ): Participant {
    const current = conversation.participants.find((p) => p.key === agent.key);
    const at = iso(now);
    // Back on the call (a heartbeat, or the call came back to them): on it again from now.
    const rejoined = current?.leftAt !== undefined;
    return {
      key: agent.key,
      name: agent.name,
      role,
      joinedAt: current && !rejoined ? current.joinedAt : at,
      seenAt: at,
    };
  }

  #roleOf(
    conversation: Conversation,
    agent: ConversationMember,
    needed: 'any' | 'participant' | 'agent',
  ): Participant {
    const participant = conversation.participants.find((p) => p.key === agent.key);
    if (needed === 'any' && !participant && agent.supervisor)
      return { key: agent.key, name: agent.name, role: 'monitor', joinedAt: '', seenAt: '' };
    // Someone who was never on it learns nothing, not even that it exists.
    if (!participant) throw new ConversationError('not_found', 'no such conversation');
    if (needed === 'agent' && participant.role !== 'agent')
      throw new ConversationError('forbidden', 'only an agent on the call may do this');
    return participant;
  }

  /** ms until the conversation expires: a write sets what is left, never a new day. */
  #ttl(conversation: Conversation): number {
    return Math.max(1, Date.parse(conversation.expiresAt) - this.#now());
  }

  async #write(conversation: Conversation, fields: Record<string, string>): Promise<void> {
    await this.#store.hashSet(recordKey(conversation.id), fields, {
      ttlMs: this.#ttl(conversation),
    });
    await this.#store.publish(channelOf(conversation.id), String(this.#now()));
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseMember(text: string): TeamMember | undefined {
  const value = parseJson(text) as Partial<TeamMember> | undefined;
  if (!value || typeof value.key !== 'string' || typeof value.name !== 'string') return undefined;
  if (typeof value.seenAt !== 'string' || Number.isNaN(Date.parse(value.seenAt))) return undefined;
  return {
    key: value.key,
    name: value.name,
    seenAt: value.seenAt,
    ...(typeof value.email === 'string' ? { email: value.email } : {}),
    ...(typeof value.id === 'string' ? { id: value.id } : {}),
    ...(value.supervisor === true ? { supervisor: true } : {}),
  };
}
