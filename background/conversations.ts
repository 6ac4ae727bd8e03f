import type { CallSession } from '../shared/call';
import { activityDenied } from '../shared/consent';
import type {
  CallerSummary,
  ConversationAnswer,
  ConversationResult,
  ConversationState,
  HandoffWrapUp,
  LiveCallsResult,
  MonitorResult,
} from '../shared/conversation';
import { formatIdentity, parseIdentity } from '../shared/identity';
import { readInsights } from '../shared/insights';
import { type CallerContext, type Identity, type Match, profileName } from '../shared/model';
import type { CallState } from './call-state';
import { type ConversationClient, ConversationRefused } from './conversation-client';
import { GatewayError } from './gateway-client';

/** The agent's extension says it is still on the call this often (the gateway forgives 150 s). */
export const CONVERSATION_HEARTBEAT_MS = 60_000;
/** After a notes stream ended or failed: wait longer each time, up to half a minute. */
const RECONNECT_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
const RECORD_PREFIX = 'conversation.';
/** A token that names no agent is not tried again for this long (as presence does). */
export const REFUSED_PAUSE_MS = 10 * 60_000;
export const MONITOR_PREFIX = 'monitor:';

interface StoredConversation {
  callId: string;
  conversationId: string;
  answer: ConversationAnswer;
  /** ms since the epoch: the last join (or heartbeat) the gateway took. */
  joinedAt: number;
  handedOver?: boolean;
  left?: boolean;
  monitor?: boolean;
}

/** `browser.storage.session`, as far as conversations use it. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface ConversationServiceDeps {
  client: ConversationClient;
  /** The calls; a pick taken over from the conversation is published there (the sidebars show it). */
  sessions: Promise<Pick<CallState, 'get' | 'pickMatch'>>;
  /** What the worker knows of each call's conversation: `storage.session`, not memory. */
  storage: SessionArea;
  /** Tells the extension's pages that a conversation changed. */
  broadcast(state: ConversationState): void;
  /** The wrap-up the agent has typed so far for the call, handed on with it. */
  wrapUpSoFar?(callId: string): Promise<HandoffWrapUp | undefined>;
  /** A supervisor's lookup of the caller of a call they listen in on (consent applied). */
  lookUp(identity: Identity): Promise<CallerContext>;
  now?: () => number;
  newId?: () => string;
  wait?(ms: number, signal: AbortSignal): Promise<void>;
}

/**
 * The call's conversation, shared through the gateway with the other agents on it: joined when
 * the call has been looked up, kept alive by a heartbeat while it goes on, left when it ends,
 * followed live (the gateway's notes stream) while a page shows it. What the worker knows lives
 * in `storage.session`; only the open streams are in memory, and the pages' regular
 * `followConversation` restarts them after the worker was stopped.
 */
export function createConversationService(deps: ConversationServiceDeps) {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const wait = deps.wait ?? sleep;
  /** At most one followed call and one listened-in call at a time. */
  const followers = new Map<string, { conversationId: string; controller: AbortController }>();
  /**
   * Until when joins are not tried: the gateway said the token names no agent (a shared token).
   * Memory is enough: a new worker asks once more, then waits again.
   */
  let refusedUntil = 0;
  // One read-change-write of a record at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(change: () => Promise<T>): Promise<T> => {
    const next = queue.then(change, change);
    queue = next.catch(() => {});
    return next;
  };

  const load = async (callId: string): Promise<StoredConversation | undefined> => {
    const key = RECORD_PREFIX + callId;
    const value = (await deps.storage.get(key))[key];
    return isStored(value) ? value : undefined;
  };
  const save = (record: StoredConversation) =>
    deps.storage.set({ [RECORD_PREFIX + record.callId]: record });
  const stateOf = (record: StoredConversation): ConversationState => ({
    callId: record.callId,
    answer: record.answer,
    handedOver: record.handedOver === true,
  });

  /** Takes a newer answer of the gateway into the record, tells the pages, adopts the pick. */
  const apply = (
    callId: string,
    answer: ConversationAnswer,
    change: Partial<StoredConversation> = {},
  ) =>
    serial(async () => {
      const record = await load(callId);
      if (!record || record.conversationId !== answer.conversation.id) return undefined;
      const updated: StoredConversation = { ...record, ...change, answer };
      await save(updated);
      deps.broadcast(stateOf(updated));
      return updated;
    }).then(async (record) => {
      if (record && !record.monitor) await adoptPick(record);
      return record;
    });

  /**
   * Where several customers share the number and this agent has not picked: the customer the
   * agent before them picked, so they need not ask again.
   */
  const adoptPick = async (record: StoredConversation): Promise<void> => {
    const picked = record.answer.conversation.picked;
    if (!picked || picked.by.key === record.answer.you.key) return;
    const sessions = await deps.sessions;
    const session = await sessions.get(record.callId);
    if (!session || session.pickedProfileId || session.lookup.status !== 'done') return;
    await sessions.pickMatch(record.callId, picked.profileId);
  };

  const startFollowing = (record: StoredConversation): void => {
    const running = followers.get(record.callId);
    if (running?.conversationId === record.conversationId) return;
    running?.controller.abort();
    // The sidebar follows one call, the Live calls page one more; older followers stop.
    const monitor = record.callId.startsWith(MONITOR_PREFIX);
    for (const [callId, follower] of followers)
      if (callId.startsWith(MONITOR_PREFIX) === monitor) {
        follower.controller.abort();
        followers.delete(callId);
      }
    const controller = new AbortController();
    followers.set(record.callId, { conversationId: record.conversationId, controller });
    void run(record.callId, record.conversationId, controller.signal);
  };

  const run = async (callId: string, conversationId: string, signal: AbortSignal) => {
    for (let failures = 0; !signal.aborted; ) {
      const opened = now();
      try {
        const end = await deps.client.follow(
          conversationId,
          (answer) => {
            apply(callId, answer).catch((error: unknown) =>
              console.error('Caller Context: conversation update', error),
            );
          },
          signal,
        );
        if (end === 'gone') break;
        failures = now() - opened > 60_000 ? 0 : failures + 1;
      } catch {
        failures += 1;
      }
      const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length) - 1] ?? 0;
      if (delay > 0 && !signal.aborted) await wait(delay, signal);
    }
    if (followers.get(callId)?.controller.signal === signal) followers.delete(callId);
  };

  const failure = (error: unknown): Exclude<ConversationResult, { ok: true }> => {
    if (error instanceof ConversationRefused)
      return { ok: false, error: error.message, reason: error.reason };
    const problem = error instanceof GatewayError ? error.problem : undefined;
    return {
      ok: false,
      error: error instanceof Error ? error.message : 'the gateway failed',
      ...(problem ? { problem } : {}),
    };
  };

  /** Joins (or beats the heart of) the call's conversation; null when there is nothing to join. */
  const joinCall = async (
    session: CallSession,
    record: StoredConversation | undefined,
  ): Promise<StoredConversation | undefined> => {
    if (!session.identity && !session.callId) return record;
    const answer = await deps.client.join({
      ...(session.callId ? { callId: session.callId } : {}),
      ...(session.identity ? { identity: formatIdentity(session.identity) } : {}),
      ...summaryFor(session, now()),
    });
    const joined: StoredConversation = {
      callId: session.id,
      conversationId: answer.conversation.id,
      answer,
      joinedAt: now(),
    };
    await serial(() => save(joined));
    deps.broadcast(stateOf(joined));
    return joined;
  };

  /** The agent picked one of several customers: the others on the call (and the next) see it. */
  const sharePick = async (callId: string, profileId: string): Promise<ConversationResult> => {
    try {
      const record = await load(callId);
      const session = await (await deps.sessions).get(callId);
      if (!record || !session || record.monitor) return { ok: false, error: 'not joined yet' };
      if (record.answer.conversation.picked?.profileId === profileId) return { ok: true };
      const matches = session.lookup.status === 'done' ? session.lookup.context.matches : [];
      const match = matches.find((m) => m.profile.id === profileId);
      if (!match) return { ok: false, error: 'no such customer among the call’s matches' };
      const name = profileName(match.profile);
      await deps.client.pick(record.conversationId, { profileId, ...(name ? { name } : {}) });
      // Again now, with the picked customer's name, tier and readings for the supervisors.
      const answer = await deps.client.join({
        ...(session.callId ? { callId: session.callId } : {}),
        ...(session.identity ? { identity: formatIdentity(session.identity) } : {}),
        ...summaryFor(session, now()),
      });
      await apply(callId, answer, { joinedAt: now() });
      return { ok: true };
    } catch (error) {
      return failure(error);
    }
  };

  return {
    /**
     * Called by a page that shows the call (on every change, and every 20 s): joins once the
     * caller is looked up, repeats the join as a heartbeat each minute while the call goes on,
     * leaves when it ended, and keeps the live follower running. Answers what the worker knows.
     */
    async follow(callId: string): Promise<ConversationState | null> {
      let record = await load(callId);
      if (callId.startsWith(MONITOR_PREFIX)) {
        if (record) startFollowing(record);
        return record ? stateOf(record) : null;
      }
      const session = await (await deps.sessions).get(callId);
      if (!session) return record ? stateOf(record) : null;
      const live = session.state === 'ringing' || session.state === 'connected';
      if (live && session.lookup.status === 'done' && !record?.handedOver && !record?.left) {
        const due = !record || now() - record.joinedAt >= CONVERSATION_HEARTBEAT_MS;
        if (due && now() >= refusedUntil) {
          try {
            record = await joinCall(session, record);
          } catch (error) {
            if (error instanceof ConversationRefused && error.reason === 'no_agent')
              refusedUntil = now() + REFUSED_PAUSE_MS;
            throw error;
          }
        }
      } else if (!live && record && !record.left && !record.handedOver) {
        const wrapUp = await deps.wrapUpSoFar?.(callId).catch(() => undefined);
        const answer = await deps.client.leave(record.conversationId, wrapUp);
        record = (await apply(callId, answer, { left: true })) ?? record;
      }
      if (!record) return null;
      // This agent picked before the conversation existed: the next agent must still see it.
      const picked = session.pickedProfileId;
      if (picked && !record.answer.conversation.picked && !record.handedOver)
        await sharePick(callId, picked);
      await adoptPick(record);
      startFollowing(record);
      return stateOf((await load(callId)) ?? record);
    },

    sharePick,

    async addNote(callId: string, text: string): Promise<ConversationResult> {
      try {
        const record = await load(callId);
        if (!record) return { ok: false, error: 'not joined yet' };
        await deps.client.addNote(record.conversationId, { id: newId(), text });
        // Shown at once, even where the live stream is still reconnecting.
        await apply(callId, await deps.client.get(record.conversationId));
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },

    async handOver(
      callId: string,
      note: string,
      wrapUp: HandoffWrapUp | undefined,
    ): Promise<ConversationResult> {
      try {
        const record = await load(callId);
        if (!record || record.monitor) return { ok: false, error: 'not joined yet' };
        // The next agent must find the customer as picked, even one picked a moment ago.
        const session = await (await deps.sessions).get(callId);
        const picked = session?.pickedProfileId;
        if (picked && record.answer.conversation.picked?.profileId !== picked) {
          const shared = await sharePick(callId, picked);
          if (!shared.ok) return shared;
        }
        const typed = wrapUp ?? (await deps.wrapUpSoFar?.(callId).catch(() => undefined));
        await deps.client.handOver(record.conversationId, {
          note,
          ...(typed ? { wrapUp: typed } : {}),
        });
        await apply(callId, await deps.client.get(record.conversationId), { handedOver: true });
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },

    /** The team and their live calls, for a supervisor. */
    async liveCalls(): Promise<LiveCallsResult> {
      try {
        return { ok: true, live: await deps.client.live() };
      } catch (error) {
        return failure(error);
      }
    },

    /**
     * A supervisor listens in on a call: joins it as a monitoring participant and looks the
     * caller up, to show the call's sidebar as its agent sees it.
     */
    async monitor(conversationId: string): Promise<MonitorResult> {
      try {
        const answer = await deps.client.monitor(conversationId);
        const { conversation } = answer;
        const callId = MONITOR_PREFIX + conversation.id;
        const record: StoredConversation = {
          callId,
          conversationId: conversation.id,
          answer,
          joinedAt: now(),
          monitor: true,
        };
        await serial(() => save(record));
        startFollowing(record);
        const parsed = conversation.identity ? parseIdentity(conversation.identity) : undefined;
        const identity = parsed?.ok ? parsed.value : null;
        let lookup: CallSession['lookup'];
        try {
          lookup = identity
            ? { status: 'done', context: await deps.lookUp(identity) }
            : { status: 'failed', message: 'The call’s caller is not known.' };
        } catch (error) {
          const problem = error instanceof GatewayError ? error.problem : undefined;
          lookup = {
            status: 'failed',
            message: error instanceof Error ? error.message : 'The lookup failed.',
            ...(problem ? { problem } : {}),
          };
        }
        const since = conversation.summary?.since ?? conversation.startedAt;
        const session: CallSession = {
          id: callId,
          rawNumber: identity?.value ?? '',
          identity,
          state: 'connected',
          detector: 'monitor',
          ringingAt: since,
          connectedAt: since,
          updatedAt: new Date(now()).toISOString(),
          lookup,
          ...(conversation.picked ? { pickedProfileId: conversation.picked.profileId } : {}),
        };
        return { ok: true, session, state: stateOf(record) };
      } catch (error) {
        return failure(error);
      }
    },

    /** Calls followed now (tests, and the registration's checks). */
    following(): string[] {
      return [...followers.keys()];
    },

    stop(): void {
      for (const follower of followers.values()) follower.controller.abort();
      followers.clear();
    },
  };
}

export type ConversationService = ReturnType<typeof createConversationService>;

/** What the agent sees of the caller, for the supervisors' Live calls (README, "Supervisors"). */
export function summaryFor(
  session: CallSession,
  now: number,
): { summary?: Omit<CallerSummary, 'at'> } {
  if (session.lookup.status !== 'done') return {};
  const matches = session.lookup.context.matches;
  const match: Match | undefined =
    matches.length === 1
      ? matches[0]
      : matches.find((m) => m.profile.id === session.pickedProfileId);
  const since = session.connectedAt ?? session.ringingAt;
  if (!match) return { summary: { since, insights: [] } };
  const name = profileName(match.profile);
  const tier = match.profile.attributes.tier;
  return {
    summary: {
      since,
      ...(name ? { name } : {}),
      ...(typeof tier === 'string' || typeof tier === 'number' ? { tier: String(tier) } : {}),
      // Only what the agent sees: nothing where the customer denied personalisation.
      insights: activityDenied(match) ? [] : readInsights(match.activity, new Date(now)),
    },
  };
}

function isStored(value: unknown): value is StoredConversation {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.callId === 'string' &&
    typeof v.conversationId === 'string' &&
    typeof v.joinedAt === 'number' &&
    typeof v.answer === 'object' &&
    v.answer !== null
  );
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
