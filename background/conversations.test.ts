import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../gateway/app';
import { silentLogger } from '../gateway/request-log';
import { demoConfig } from '../gateway/test-support/fixtures';
import type { CallSession } from '../shared/call';
import { resolveConfig } from '../shared/config';
import type { ConversationState, HandoffWrapUp } from '../shared/conversation';
import { createCallSessions } from './call-sessions';
import { createCallState } from './call-state';
import { conversationClient } from './conversation-client';
import { type ConversationService, createConversationService } from './conversations';
import { type Database, openDatabase } from './db';
import { type FetchLike, fetchCallerContext, GatewayError } from './gateway-client';

/**
 * Two agents' workers against one gateway (the demo config, in this process: its routes, store
 * and notes stream are the real ones, reached without a socket).
 */
const GATEWAY_URL = 'http://127.0.0.1:8787';
const TOM_AND_TESSA = '020 7946 0456';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startGateway(overrides: Record<string, unknown> = {}): {
  gateway: Gateway;
  fetch: FetchLike;
} {
  const gateway = createGateway(demoConfig(overrides), {
    logger: silentLogger,
    deliverInBackground: false,
    heartbeatMs: 60_000,
  });
  cleanups.push(() => gateway.close());
  return { gateway, fetch: async (input, init) => gateway.app.request(input, init) };
}

function sessionArea() {
  const items = new Map<string, unknown>();
  return {
    get: async (key: string) => (items.has(key) ? { [key]: items.get(key) } : {}),
    set: async (values: Record<string, unknown>) => {
      for (const [key, value] of Object.entries(values)) items.set(key, structuredClone(value));
    },
  };
}

/** An agent's worker: its own IndexedDB, session storage and token. */
async function agent(token: string, fetch: FetchLike, wrapUp?: HandoffWrapUp) {
  const db: Database = await openDatabase(new IDBFactory());
  cleanups.push(() => db.close());
  const sessions = createCallSessions({ db });
  const config = resolveConfig({ agent: { gatewayUrl: GATEWAY_URL, gatewayToken: token } });
  const changed: ConversationState[] = [];
  const calls: CallSession[] = [];
  const service: ConversationService = createConversationService({
    client: conversationClient(async () => config.config, fetch),
    sessions: Promise.resolve(
      createCallState({
        db: Promise.resolve(db),
        broadcast: (session) => void (session && calls.push(session)),
        follow: () => {},
      }),
    ),
    storage: sessionArea(),
    broadcast: (state) => changed.push(state),
    ...(wrapUp ? { wrapUpSoFar: async () => wrapUp } : {}),
    lookUp: (identity) => fetchCallerContext(config.config, identity, fetch),
  });
  cleanups.push(() => service.stop());

  /** A call rings on this agent's softphone and is looked up at the gateway. */
  const ring = async (raw: string, callId: string) => {
    const sighted = await sessions.sight(
      { raw, state: 'ringing', detector: 'demo-softphone', callId },
      1,
      'GB',
    );
    if (!sighted) throw new Error('no call');
    const identity = sighted.session.identity;
    if (!identity) throw new Error('no identity');
    const context = await fetchCallerContext(config.config, identity, fetch);
    const done = await sessions.setLookup(sighted.session.id, { status: 'done', context });
    if (!done) throw new Error('not looked up');
    return done;
  };
  return { service, sessions, changed, calls, ring };
}

async function until<T>(read: () => T, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the conversation of a call, between two agents', () => {
  it('hands the pick, the note and the wrap-up so far over, and carries notes both ways', async () => {
    const { fetch } = startGateway();
    const marco = await agent('demo-marco-token', fetch);
    const alex = await agent('demo-alex-token', fetch);

    const first = await marco.ring(TOM_AND_TESSA, 'softphone-marco-1');
    const joined = await marco.service.follow(first.id);
    expect(joined?.answer.you.name).toBe('Marco Rossi');
    expect(joined?.answer.conversation.participants.map((p) => p.name)).toEqual(['Marco Rossi']);
    // Marco picks Tessa among the two Bakers, and shares it.
    const tessa = first.lookup.status === 'done' ? first.lookup.context.matches[1] : undefined;
    if (!tessa) throw new Error('the demo number has two customers');
    await marco.sessions.pickMatch(first.id, tessa.profile.id);
    expect(await marco.service.sharePick(first.id, tessa.profile.id)).toEqual({ ok: true });
    expect(
      await marco.service.handOver(first.id, 'Refund promised, call back Friday', {
        disposition: 'follow_up',
        dispositionLabel: 'Follow-up needed',
        notes: 'refund for the tray',
      }),
    ).toEqual({ ok: true });

    // The transfer rings at Alex's softphone, under a call id of its own.
    const second = await alex.ring(TOM_AND_TESSA, 'softphone-alex-7');
    expect(second.pickedProfileId).toBeUndefined();
    const taken = await alex.service.follow(second.id);
    const conversation = taken?.answer.conversation;
    expect(conversation?.id).toBe(joined?.answer.conversation.id);
    expect(conversation?.handoffs.map((h) => [h.by.name, h.note, h.wrapUp?.notes])).toEqual([
      ['Marco Rossi', 'Refund promised, call back Friday', 'refund for the tray'],
    ]);
    // Alex's call now has Marco's pick: the sidebar needs no picker.
    expect((await alex.sessions.get(second.id))?.pickedProfileId).toBe(tessa.profile.id);
    expect(alex.calls.at(-1)?.pickedProfileId).toBe(tessa.profile.id);

    // A note by Alex reaches Marco's worker through the gateway's stream, and back.
    expect(await alex.service.addNote(second.id, 'Refund approved by finance')).toEqual({
      ok: true,
    });
    const heard = await until(
      () => marco.changed.at(-1)?.answer.conversation.notes ?? [],
      (notes) => notes.length > 0,
    );
    expect(heard.map((n) => [n.by.name, n.text])).toEqual([
      ['Alex Agent', 'Refund approved by finance'],
    ]);
    expect(marco.changed.at(-1)?.handedOver).toBe(true);
    await marco.service.addNote(first.id, 'Thanks!');
    const back = await until(
      () => alex.changed.at(-1)?.answer.conversation.notes ?? [],
      (notes) => notes.length > 1,
    );
    expect(back.map((n) => n.text)).toEqual(['Refund approved by finance', 'Thanks!']);
  });

  it('hands on what the agent had when the platform transferred the call', async () => {
    const { fetch } = startGateway();
    const marco = await agent('demo-marco-token', fetch, {
      disposition: 'follow_up',
      dispositionLabel: 'Follow-up needed',
      notes: 'asked for the refund',
    });
    const alex = await agent('demo-alex-token', fetch);
    const first = await marco.ring('+44 20 7946 0123', 'softphone-marco-9');
    await marco.service.follow(first.id);
    // The softphone shows the call ending (a blind transfer): no "Hand over" was pressed.
    await marco.sessions.sight(
      {
        raw: '+44 20 7946 0123',
        state: 'ended',
        detector: 'demo-softphone',
        callId: 'softphone-marco-9',
      },
      1,
      'GB',
    );
    await marco.service.follow(first.id);
    const second = await alex.ring('+44 20 7946 0123', 'softphone-alex-3');
    const taken = await alex.service.follow(second.id);
    expect(taken?.answer.conversation.handoffs).toEqual([
      expect.objectContaining({
        by: expect.objectContaining({ name: 'Marco Rossi' }),
        ended: true,
        wrapUp: expect.objectContaining({ notes: 'asked for the refund' }),
      }),
    ]);
  });

  it('leaves when the call ends, and a supervisor listens in on a live one only', async () => {
    const { fetch } = startGateway();
    const marco = await agent('demo-marco-token', fetch);
    const sofia = await agent('demo-sofia-token', fetch);
    const shared = await agent('demo-token', fetch);

    const call = await marco.ring('+44 20 7946 0123', 'softphone-marco-2');
    const state = await marco.service.follow(call.id);
    const id = state?.answer.conversation.id ?? '';
    expect(await marco.service.liveCalls()).toMatchObject({ ok: false, reason: 'not_supervisor' });
    const live = await sofia.service.liveCalls();
    if (!live.ok) throw new Error(live.error);
    expect(live.live.calls.map((c) => [c.id, c.summary?.name])).toEqual([[id, 'Jane Doe']]);
    const monitored = await sofia.service.monitor(id);
    if (!monitored.ok) throw new Error(monitored.error);
    expect(monitored.session.lookup.status).toBe('done');
    expect(monitored.state.answer.you.role).toBe('monitor');
    expect(await sofia.service.addNote(monitored.session.id, 'Offer the voucher')).toEqual({
      ok: true,
    });
    // A token that names nobody joins nothing, and is not tried again at every ask.
    const other = await shared.ring('+44 20 7946 0123', 'softphone-kiosk');
    await expect(shared.service.follow(other.id)).rejects.toThrow();
    expect(await shared.service.follow(other.id)).toBeNull();

    await marco.sessions.sight(
      {
        raw: '+44 20 7946 0123',
        state: 'ended',
        detector: 'demo-softphone',
        callId: 'softphone-marco-2',
      },
      1,
      'GB',
    );
    const ended = await marco.service.follow(call.id);
    const me = ended?.answer.conversation.participants.find((p) => p.name === 'Marco Rossi');
    expect(me?.leftAt).toBeDefined();
    const after = await sofia.service.liveCalls();
    expect(after.ok && after.live.calls).toEqual([]);
  });

  it("tells the agent, in the gateway's words, when a write is past the gateway's limit", async () => {
    const { fetch } = startGateway({ rateLimits: { conversationWritesPerAgent: 1 } });
    const config = resolveConfig({
      agent: { gatewayUrl: GATEWAY_URL, gatewayToken: 'demo-marco-token' },
    });
    const client = conversationClient(async () => config.config, fetch);
    const { conversation } = await client.join({ callId: 'CA-LIMIT' });
    const refused = await client
      .addNote(conversation.id, { id: 'n1', text: 'Customer asked for a callback' })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).problem).toEqual({
      code: 'gatewayStatusDetail',
      params: {
        status: '429',
        detail: expect.stringMatching(/^too many requests; try again in \d+ s$/),
      },
    });
  });
});
