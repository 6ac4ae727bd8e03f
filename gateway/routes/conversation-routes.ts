import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import {
  type CallerSummary,
  type Conversation,
  type ConversationAnswer,
  handoffWrapUpOf,
  MAX_NOTE_LENGTH,
  summaryOf,
  type TeamAgent,
} from '../../shared/conversation';
import { formatIdentity, parseIdentity } from '../../shared/identity';
import { principalOf } from '../auth';
import {
  ConversationError,
  type ConversationMember,
  type Conversations,
} from '../conversations/conversations';
import { ApiError, badRequest } from '../http-errors';
import type { AgentConfig } from '../ivr/ivr-config';
import type { IvrGateway } from '../ivr/ivr-gateway';
import { isRecord } from '../json-shape';
import { jsonBody } from '../request-input';
import { noteIdentity } from '../request-log';
import type { OpenStream, RouteDeps } from './route-deps';

export interface ConversationRouteDeps
  extends Pick<RouteDeps, 'heartbeatMs' | 'logger' | 'openStreams' | 'limiter' | 'rateLimits'> {
  conversations: Conversations;
  /** Who the token names (gateway/ivr/): an `auth.agents` token, or an OIDC sign-in. */
  ivr: Pick<IvrGateway, 'agentOf' | 'presence'>;
  /** The configured agents: the team "Live calls" lists, with those heard from lately. */
  agents: readonly AgentConfig[];
}

const CONVERSATION_ID = /^[A-Za-z0-9-]{8,64}$/;
/** The id in routes: `live` (and any other word) is not one, so logs name the right route. */
const ID = ':id{[A-Za-z0-9-]{8,64}}';
const NOTE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Conversations shared by the agents on a call (README, "Conversations"). Every route is for
 * agents with their own token (`auth.agents`, or an OIDC sign-in): the authentication in front
 * of `/v1` refuses IVR, collect and site keys, and a shared token that names nobody gets 403
 * here. Only those who have been on a conversation (and supervisors) can read it; to anyone else
 * it does not exist.
 *
 * Registered before `POST /v1/presence` so that presence reports keep the team's list.
 */
export function registerConversationRoutes(app: Hono, deps: ConversationRouteDeps): void {
  const { conversations } = deps;

  const memberOf = async (c: Context): Promise<ConversationMember> => {
    const agent = await deps.ivr.agentOf(c);
    const key = agent?.email ?? (agent?.id ? `id:${agent.id}` : undefined);
    if (!agent || !key)
      throw new ApiError(
        403,
        'no_agent',
        'this token names no agent: give it an entry in auth.agents, or sign in with OIDC',
      );
    return {
      key,
      name: agent.name ?? agent.email ?? key,
      ...(agent.email ? { email: agent.email } : {}),
      ...(agent.id ? { id: agent.id } : {}),
      supervisor: principalOf(c)?.supervisor === true,
    };
  };

  /**
   * The agent behind a write (join, note, pick, hand-over, listening in), counted against
   * `rateLimits.conversationWritesPerAgent` across replicas: past it, a 429 with `Retry-After`.
   */
  const writerOf = async (c: Context): Promise<ConversationMember> => {
    const member = await memberOf(c);
    await deps.limiter.take(
      'conversation-writes',
      member.key,
      deps.rateLimits.conversationWritesPerAgent,
    );
    return member;
  };

  const answer = (conversation: Conversation, member: ConversationMember): ConversationAnswer => ({
    conversation,
    you: {
      key: member.key,
      name: member.name,
      role: conversation.participants.find((p) => p.key === member.key)?.role ?? 'monitor',
      supervisor: member.supervisor,
    },
  });

  const requireSupervisor = (member: ConversationMember) => {
    if (!member.supervisor)
      throw new ApiError(
        403,
        'not_supervisor',
        'only a supervisor may do this: the token does not carry the supervisor role',
      );
  };

  // The team's list learns of agents from their presence reports too.
  app.use('/v1/presence', async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    try {
      await conversations.remember(await memberOf(c));
    } catch {
      // The list of the team is a convenience: presence itself was kept.
    }
  });

  app.get('/v1/conversations/live', async (c) => {
    const member = await memberOf(c);
    requireSupervisor(member);
    await conversations.remember(member);
    const [calls, team] = await Promise.all([conversations.live(), teamOf(deps)]);
    return c.json({ agents: team, calls });
  });

  app.post('/v1/conversations', async (c) => {
    const member = await writerOf(c);
    const body = await jsonBody(c);
    if (!isRecord(body))
      throw badRequest('the body must be { "callId"?, "identity"?, "summary"? }');
    const callId = optionalText(body.callId, 'callId', 128);
    let identity: string | undefined;
    if (body.identity !== undefined) {
      if (typeof body.identity !== 'string') throw badRequest('identity must be namespace:value');
      const parsed = parseIdentity(body.identity);
      if (!parsed.ok) throw badRequest(parsed.error);
      noteIdentity(c, parsed.value);
      identity = formatIdentity(parsed.value);
    }
    if (!callId && !identity) throw badRequest('a callId or the caller’s identity is required');
    let summary: Omit<CallerSummary, 'at'> | undefined;
    if (body.summary !== undefined) {
      const parsed = isRecord(body.summary)
        ? summaryOf({ ...body.summary, at: new Date().toISOString() })
        : undefined;
      if (!parsed) throw badRequest('summary must be { "name"?, "tier"?, "since"?, "insights"? }');
      const { at: _at, ...described } = parsed;
      summary = described;
    }
    const conversation = await run(() =>
      conversations.join(member, {
        ...(callId ? { callId } : {}),
        ...(identity ? { identity } : {}),
        ...(summary ? { summary } : {}),
      }),
    );
    return c.json(answer(conversation, member));
  });

  app.get(`/v1/conversations/${ID}`, async (c) => {
    const member = await memberOf(c);
    const conversation = await run(() => conversations.get(idParam(c), member));
    return c.json(answer(conversation, member));
  });

  app.post(`/v1/conversations/${ID}/monitor`, async (c) => {
    const member = await writerOf(c);
    requireSupervisor(member);
    const conversation = await run(() => conversations.monitor(idParam(c), member));
    return c.json(answer(conversation, member));
  });

  app.post(`/v1/conversations/${ID}/leave`, async (c) => {
    const member = await writerOf(c);
    const body = await jsonBody(c);
    if (!isRecord(body)) throw badRequest('the body must be { "wrapUp"?: {...} }');
    const wrapUp = body.wrapUp === undefined ? undefined : handoffWrapUpOf(body.wrapUp);
    if (body.wrapUp !== undefined && !wrapUp)
      throw badRequest('wrapUp must be { "disposition", "notes", "dispositionLabel"?, ... }');
    const conversation = await run(() =>
      conversations.leave(idParam(c), member, wrapUp ? { wrapUp } : {}),
    );
    return c.json(answer(conversation, member));
  });

  app.post(`/v1/conversations/${ID}/notes`, async (c) => {
    const member = await writerOf(c);
    const id = idParam(c);
    const body = await jsonBody(c);
    if (!isRecord(body)) throw badRequest('the body must be { "text": "...", "id"?: "..." }');
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (text === '' || text.length > MAX_NOTE_LENGTH)
      throw badRequest(`text must be 1 to ${MAX_NOTE_LENGTH} characters`);
    if (body.id !== undefined && (typeof body.id !== 'string' || !NOTE_ID.test(body.id)))
      throw badRequest('id must be 1 to 64 letters, digits, - and _');
    const note = await run(() =>
      conversations.addNote(id, member, { text, ...(body.id ? { id: body.id as string } : {}) }),
    );
    return c.json({ note }, 201);
  });

  app.post(`/v1/conversations/${ID}/pick`, async (c) => {
    const member = await writerOf(c);
    const id = idParam(c);
    const body = await jsonBody(c);
    if (!isRecord(body))
      throw badRequest('the body must be { "profileId": "...", "name"?: "..." }');
    const profileId = optionalText(body.profileId, 'profileId', 512);
    if (!profileId) throw badRequest('profileId is required');
    const name = optionalText(body.name, 'name', 256);
    const picked = await run(() =>
      conversations.pick(id, member, { profileId, ...(name ? { name } : {}) }),
    );
    return c.json({ picked });
  });

  app.post(`/v1/conversations/${ID}/handover`, async (c) => {
    const member = await writerOf(c);
    const id = idParam(c);
    const body = await jsonBody(c);
    if (!isRecord(body)) throw badRequest('the body must be { "note": "...", "wrapUp"?: {...} }');
    const note = typeof body.note === 'string' ? body.note.trim() : undefined;
    if (note === undefined || note.length > MAX_NOTE_LENGTH)
      throw badRequest(`note must be text of at most ${MAX_NOTE_LENGTH} characters`);
    const wrapUp = body.wrapUp === undefined ? undefined : handoffWrapUpOf(body.wrapUp);
    if (body.wrapUp !== undefined && !wrapUp)
      throw badRequest('wrapUp must be { "disposition", "notes", "dispositionLabel"?, ... }');
    const handoff = await run(() =>
      conversations.handOver(id, member, { note, ...(wrapUp ? { wrapUp } : {}) }),
    );
    return c.json({ handoff });
  });

  /**
   * Server-Sent Events: the conversation as it is now, then again after every change on any
   * replica (the store's publish/subscribe), with a heartbeat comment every `heartbeatMs`. A
   * client that reconnects gets the whole conversation at once, so it misses nothing.
   */
  app.get(`/v1/conversations/${ID}/events`, async (c) => {
    const member = await memberOf(c);
    const id = idParam(c);
    await run(() => conversations.get(id, member));
    let changed = () => {};
    // Subscribed before the first read: a change in between is read again, never lost.
    const subscription = await conversations.subscribe(id, () => changed());
    return streamSSE(c, async (stream) => {
      let writes = Promise.resolve();
      const send = (write: () => Promise<unknown>) => {
        writes = writes.then(write).then(
          () => undefined,
          () => undefined,
        );
      };
      const ended = deferred();
      const finished = deferred();
      const open: OpenStream = { end: ended.resolve, finished: finished.promise };
      let reading = false;
      let again = false;
      // One read at a time; changes during a read are folded into one more read after it.
      const push = async (): Promise<void> => {
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        try {
          do {
            again = false;
            const conversation = await conversations.get(id, member).catch((error: unknown) => {
              if (error instanceof ConversationError) return null;
              throw error;
            });
            if (!conversation) {
              send(() => stream.writeSSE({ event: 'gone', data: '{}' }));
              ended.resolve();
              return;
            }
            const data = JSON.stringify(answer(conversation, member));
            send(() => stream.writeSSE({ data }));
          } while (again);
        } catch (error) {
          deps.logger.error('a conversation could not be read for its followers', error);
          ended.resolve();
        } finally {
          reading = false;
        }
      };
      changed = () => void push();
      const heartbeat = setInterval(
        () => send(() => stream.write(': heartbeat\n\n')),
        deps.heartbeatMs,
      );
      stream.onAbort(ended.resolve);
      if (stream.aborted) ended.resolve();
      deps.openStreams.add(open);
      try {
        // Tells the client the subscription is live: every change from now on arrives.
        send(() => stream.write(': subscribed\n\n'));
        await push();
        await ended.promise;
      } finally {
        clearInterval(heartbeat);
        await subscription.unsubscribe().catch(() => undefined);
        await writes;
        await stream.close();
        deps.openStreams.delete(open);
        finished.resolve();
      }
    });
  });
}

/** The team with their presence: configured agents and those heard from in the last day. */
async function teamOf(deps: ConversationRouteDeps): Promise<TeamAgent[]> {
  const members = new Map<
    string,
    { key: string; name: string; email?: string; id?: string; supervisor?: boolean }
  >();
  for (const agent of deps.agents)
    members.set(agent.email, {
      key: agent.email,
      name: agent.name,
      email: agent.email,
      ...(agent.id ? { id: agent.id } : {}),
      ...(agent.supervisor ? { supervisor: true } : {}),
    });
  for (const member of await deps.conversations.team())
    members.set(member.key, { ...members.get(member.key), ...member });
  const team = await Promise.all(
    [...members.values()].map(async (member): Promise<TeamAgent> => {
      const presence = await deps.ivr.presence.stateOf({ email: member.email, id: member.id });
      return {
        key: member.key,
        name: member.name,
        ...(member.email ? { email: member.email } : {}),
        ...(member.supervisor ? { supervisor: true } : {}),
        state: presence.state,
        ...('at' in presence ? { at: presence.at } : {}),
      };
    }),
  );
  return team.sort((a, b) => a.name.localeCompare(b.name));
}

function idParam(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!CONVERSATION_ID.test(id)) throw new ApiError(404, 'not_found', 'no such conversation');
  return id;
}

function optionalText(value: unknown, key: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw badRequest(`${key} must be text of 1 to ${max} characters`);
  return value.trim();
}

/** Conversation refusals as HTTP: to a stranger a conversation does not exist (404). */
async function run<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ConversationError)) throw error;
    const status = error.problem === 'not_found' ? 404 : error.problem === 'forbidden' ? 403 : 409;
    throw new ApiError(
      status,
      error.problem === 'full' ? 'conversation_full' : error.problem,
      error.message,
    );
  }
}

/** `Promise.withResolvers`, which Node 20 lacks. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
