import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallSession } from '../shared/call';
import { resolveConfig } from '../shared/config';
import type { ActivityEvent, CallerContext } from '../shared/model';
import { createAuditLog } from './audit-log';
import { createCallSessions } from './call-sessions';
import { createCallState } from './call-state';
import type { ConfigStore } from './config-store';
import { type Database, openDatabase } from './db';
import { createLiveActivity } from './live-activity';
import { RefusedMessage, type Sender } from './senders';
import { messagesWith } from './test-support/messaging';
import { createVerbalConsent, mayLookBeyondNumber } from './verbal-consent';

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
const NOW = new Date('2025-03-01T10:00:00.000Z');
const sidebarPage: Sender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}sidebar.html` };

const anonymous: CallerContext = {
  identity: { namespace: 'phone', value: '+442079460777' },
  fetchedAt: '2025-03-01T10:00:00.500Z',
  errors: [],
  matches: [],
};
const known: CallerContext = {
  ...anonymous,
  matches: [
    {
      profile: { id: 'p-1', source: 'demo', displayName: 'Jane Doe', attributes: {} },
      activity: [],
      cases: [],
    },
  ],
};
const visit: ActivityEvent = {
  id: 'e-1',
  at: '2025-03-01T09:58:00.000Z',
  type: 'product_view',
  title: 'Milk frother',
  source: 'collect',
};

function configStore(agent: unknown): ConfigStore {
  return { get: async () => resolveConfig({ agent }), refreshPolicy: async () => {} };
}

let factory: IDBFactory;
let connections: Database[];
beforeEach(() => {
  factory = new IDBFactory();
  connections = [];
});
afterEach(() => {
  for (const db of connections) db.close();
});

function open(): Promise<Database> {
  return openDatabase(factory).then((db) => {
    connections.push(db);
    return db;
  });
}

/** A ringing call whose number was looked up, with the config on or off. */
async function setup(options: { requireVerbalConsent: boolean; context?: CallerContext }) {
  const agent = { gatewayUrl: 'https://gw.example.com', ...options };
  delete (agent as { context?: unknown }).context;
  const config = configStore(agent);
  const db = open();
  const sessions = db.then((d) => createCallSessions({ db: d, now: () => NOW }));
  const store = await sessions;
  const sighted = await store.sight(
    { raw: '+44 20 7946 0777', state: 'ringing', detector: 'demo-softphone' },
    3,
    'GB',
  );
  if (!sighted) throw new Error('no call');
  const context = options.context ?? anonymous;
  await store.setLookup(
    sighted.session.id,
    { status: 'done', context },
    {
      verbalConsentRequired: options.requireVerbalConsent && context.matches.length === 0,
    },
  );
  const activityRequests: string[] = [];
  const liveActivity = createLiveActivity({
    sessions,
    config,
    now: () => NOW,
    fetch: async (url) => {
      activityRequests.push(url);
      return new Response(JSON.stringify({ events: [visit] }));
    },
  });
  const auditLog = createAuditLog({ db, now: () => NOW });
  const broadcasts: (CallSession | null)[] = [];
  const calls = createCallState({
    db,
    broadcast: (session) => broadcasts.push(session),
    follow: () => {},
    now: () => NOW,
  });
  const service = createVerbalConsent({
    calls,
    config,
    liveActivity,
    auditLog,
    who: async () => 'agent@example.com',
  });
  // The service as its message reaches it: the sender check and parser first (background/messages.ts).
  const { deliver } = messagesWith({
    self: { extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN },
    verbalConsent: service,
  });
  const verbalConsent = {
    record: (data: unknown, sender: Sender) =>
      deliver('recordVerbalConsent', data as { callId: string; given: boolean }, sender),
  };
  return {
    callId: sighted.session.id,
    store,
    liveActivity,
    activityRequests,
    auditLog,
    broadcasts,
    verbalConsent,
  };
}

describe('the gate: nothing beyond the number without the caller’s permission', () => {
  it('with the config on, an anonymous call awaits the answer and live activity asks nothing', async () => {
    const { callId, store, liveActivity, activityRequests } = await setup({
      requireVerbalConsent: true,
    });
    expect((await store.get(callId))?.verbalConsent).toEqual({ state: 'required' });
    expect(await liveActivity.refresh(callId)).toBeNull();
    expect(activityRequests).toEqual([]);
  });

  it('with the config off (the default), an anonymous call needs no answer, and no polling: nothing would show', async () => {
    const { callId, store, liveActivity, activityRequests } = await setup({
      requireVerbalConsent: false,
    });
    expect((await store.get(callId))?.verbalConsent).toBeUndefined();
    // Nothing is attributed to a caller without a profile, so nothing is asked for.
    expect(await liveActivity.refresh(callId)).toBeNull();
    expect(activityRequests).toEqual([]);
  });

  it('with the config on, a known caller is not held back', async () => {
    const { callId, store, liveActivity, activityRequests } = await setup({
      requireVerbalConsent: true,
      context: known,
    });
    expect((await store.get(callId))?.verbalConsent).toBeUndefined();
    await liveActivity.refresh(callId);
    expect(activityRequests).toHaveLength(1);
  });

  it('a call looked up before the config began to ask gets the question at its next refresh', async () => {
    const { callId, store } = await setup({ requireVerbalConsent: false });
    expect((await store.get(callId))?.verbalConsent).toBeUndefined();
    const requests: string[] = [];
    const nowAsking = createLiveActivity({
      sessions: Promise.resolve(store),
      config: configStore({ gatewayUrl: 'https://gw.example.com', requireVerbalConsent: true }),
      now: () => NOW,
      fetch: async (url) => {
        requests.push(url);
        return new Response(JSON.stringify({ events: [] }));
      },
    });
    const asked = await nowAsking.refresh(callId);
    expect(asked?.verbalConsent).toEqual({ state: 'required' });
    expect(requests).toEqual([]);
    // Asked once: the next refresh changes nothing and still asks the gateway nothing.
    expect(await nowAsking.refresh(callId)).toBeNull();
    expect(requests).toEqual([]);
  });

  it('holds back a call without a recorded answer while the config asks for one', () => {
    const lookup = { status: 'done', context: anonymous } as const;
    expect(mayLookBeyondNumber({ lookup }, { requireVerbalConsent: true })).toBe(false);
    expect(mayLookBeyondNumber({ lookup }, { requireVerbalConsent: false })).toBe(true);
    const given = { state: 'given', at: NOW.toISOString() } as const;
    const declined = { state: 'declined', at: NOW.toISOString() } as const;
    expect(
      mayLookBeyondNumber({ lookup, verbalConsent: given }, { requireVerbalConsent: true }),
    ).toBe(true);
    // A declined call stays declined even if the config is switched off meanwhile.
    expect(
      mayLookBeyondNumber({ lookup, verbalConsent: declined }, { requireVerbalConsent: false }),
    ).toBe(false);
    expect(
      mayLookBeyondNumber(
        { lookup: { status: 'done', context: known } },
        { requireVerbalConsent: true },
      ),
    ).toBe(true);
  });
});

describe('recordVerbalConsent', () => {
  it.each<[string, Sender]>([
    [
      'a content script in a tab',
      { id: EXTENSION_ID, url: 'http://127.0.0.1/crm', tab: { id: 4 } },
    ],
    ['another extension', { ...sidebarPage, id: 'another-extension-id' }],
    ['a web page', { url: 'https://evil.example/' }],
  ])('refuses %s and records nothing', async (_, sender) => {
    const { callId, store, verbalConsent, auditLog, activityRequests } = await setup({
      requireVerbalConsent: true,
    });
    await expect(verbalConsent.record({ callId, given: true }, sender)).rejects.toBeInstanceOf(
      RefusedMessage,
    );
    expect((await store.get(callId))?.verbalConsent).toEqual({ state: 'required' });
    expect(await auditLog.list()).toEqual([]);
    expect(activityRequests).toEqual([]);
  });

  it.each([
    [null, 'expected { callId, given }'],
    [{ given: true }, 'callId is required'],
    [{ callId: 'x'.repeat(65), given: true }, 'callId is required'],
    [{ callId: 'c', given: 'yes' }, 'given must be true or false'],
  ])('answers bad input %j with an error', async (data, error) => {
    const { verbalConsent, auditLog } = await setup({ requireVerbalConsent: true });
    expect(await verbalConsent.record(data, sidebarPage)).toEqual({ ok: false, error });
    expect(await auditLog.list()).toEqual([]);
  });

  it('refuses an unknown call', async () => {
    const anonymousCall = await setup({ requireVerbalConsent: true });
    expect(
      await anonymousCall.verbalConsent.record({ callId: 'nope', given: true }, sidebarPage),
    ).toEqual({ ok: false, error: 'no such call' });
  });

  it('refuses a call that needs no permission (a known caller)', async () => {
    const knownCall = await setup({ requireVerbalConsent: true, context: known });
    expect(
      await knownCall.verbalConsent.record({ callId: knownCall.callId, given: true }, sidebarPage),
    ).toEqual({ ok: false, error: "This call does not need the caller's permission." });
    expect(await knownCall.auditLog.list()).toEqual([]);
  });

  it('"Caller agreed": kept with the call and its time, audited, and the visit is read', async () => {
    const { callId, store, verbalConsent, auditLog, activityRequests, broadcasts } = await setup({
      requireVerbalConsent: true,
    });
    expect(await verbalConsent.record({ callId, given: true }, sidebarPage)).toEqual({ ok: true });

    const stored = await store.get(callId);
    expect(stored?.verbalConsent).toEqual({ state: 'given', at: NOW.toISOString() });
    expect(activityRequests).toHaveLength(1);
    const request = new URL(activityRequests[0] ?? '');
    expect(request.pathname).toBe('/v1/activity');
    expect(request.searchParams.get('identity')).toBe('phone:+442079460777');
    // The first read goes back a day before the ring, for the visit that led to the call.
    expect(request.searchParams.get('since')).toBe('2025-02-28T10:00:00.000Z');
    expect(stored?.lookup.status === 'done' && stored.lookup.context.activity).toEqual([visit]);
    expect(broadcasts.at(-1)?.verbalConsent?.state).toBe('given');

    const entries = await auditLog.list();
    expect(entries).toEqual([
      {
        id: expect.any(Number),
        at: NOW.toISOString(),
        who: 'agent@example.com',
        identity: 'phone:+442079460777',
        callId,
        reason: 'verbalConsent',
        answer: 'given',
      },
    ]);
  });

  it('"Caller declined": kept and audited, and nothing is read for the rest of the call', async () => {
    const { callId, store, verbalConsent, auditLog, activityRequests, liveActivity } = await setup({
      requireVerbalConsent: true,
    });
    expect(await verbalConsent.record({ callId, given: false }, sidebarPage)).toEqual({
      ok: true,
    });
    expect((await store.get(callId))?.verbalConsent).toEqual({
      state: 'declined',
      at: NOW.toISOString(),
    });
    expect(await liveActivity.refresh(callId)).toBeNull();
    expect(activityRequests).toEqual([]);
    expect((await auditLog.list()).map((e) => [e.reason, e.answer])).toEqual([
      ['verbalConsent', 'declined'],
    ]);
  });

  it('takes the same answer twice as one, and refuses to change it', async () => {
    const { callId, verbalConsent, auditLog } = await setup({ requireVerbalConsent: true });
    await verbalConsent.record({ callId, given: false }, sidebarPage);
    expect(await verbalConsent.record({ callId, given: false }, sidebarPage)).toEqual({ ok: true });
    expect(await verbalConsent.record({ callId, given: true }, sidebarPage)).toEqual({
      ok: false,
      error: "The caller's answer is already recorded for this call.",
    });
    expect(await auditLog.list()).toHaveLength(1);
  });

  it('keeps the answer across a worker restart (a new connection reads it)', async () => {
    const { callId, verbalConsent } = await setup({ requireVerbalConsent: true });
    await verbalConsent.record({ callId, given: true }, sidebarPage);
    const reopened = createCallSessions({ db: await open(), now: () => NOW });
    expect((await reopened.get(callId))?.verbalConsent).toEqual({
      state: 'given',
      at: NOW.toISOString(),
    });
  });
});
