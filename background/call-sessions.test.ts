import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallerSighting, CallSession } from '../shared/call';
import { createCallSessions, identityFromRaw } from './call-sessions';
import { type Database, openDatabase } from './db';

const START = Date.parse('2025-03-01T10:00:00.000Z');

function at(offsetMs: number): string {
  return new Date(START + offsetMs).toISOString();
}

function ringing(raw = '+44 20 7946 0123', extra: Partial<CallerSighting> = {}): CallerSighting {
  return { raw, state: 'ringing', detector: 'demo-softphone', ...extra };
}

function sighting(state: CallerSighting['state'], raw = '+44 20 7946 0123'): CallerSighting {
  return { raw, state, detector: 'demo-softphone' };
}

let factory: IDBFactory;
let db: Database;
let offset: number;
let ids: number;

function sessions(database: Database = db) {
  return createCallSessions({
    db: database,
    now: () => new Date(START + offset),
    newId: () => `session-${++ids}`,
  });
}

beforeEach(async () => {
  factory = new IDBFactory();
  db = await openDatabase(factory);
  offset = 0;
  ids = 0;
});

afterEach(() => {
  db.close();
});

describe('identityFromRaw', () => {
  it('reads phone numbers in the default region and email addresses', () => {
    expect(identityFromRaw('020 7946 0123', 'GB')).toEqual({
      identity: { namespace: 'phone', value: '+442079460123' },
    });
    expect(identityFromRaw('Jane@Example.com', 'GB')).toEqual({
      identity: { namespace: 'email', value: 'jane@example.com' },
    });
    expect(identityFromRaw('jane@', 'GB')).toEqual({ problem: expect.any(String) });
    expect(identityFromRaw('Unknown caller', 'GB')).toEqual({ problem: expect.any(String) });
  });
});

describe('call sessions', () => {
  it('starts a session for a new ringing call, with its identity and a pending lookup', async () => {
    const calls = sessions();
    const result = await calls.sight(ringing('020 7946 0123'), 7, 'GB');
    expect(result).toEqual({
      isNew: true,
      changed: true,
      session: {
        id: 'session-1',
        rawNumber: '020 7946 0123',
        identity: { namespace: 'phone', value: '+442079460123' },
        state: 'ringing',
        detector: 'demo-softphone',
        tabId: 7,
        ringingAt: at(0),
        updatedAt: at(0),
        lookup: { status: 'pending' },
      },
    });
    expect(await calls.get('session-1')).toEqual(result?.session);
  });

  it('keeps the platform call id', async () => {
    const result = await sessions().sight(ringing(undefined, { callId: 'c-1' }), 7, 'GB');
    expect(result?.session.callId).toBe('c-1');
  });

  it('makes one session of the same call seen from two tabs', async () => {
    const calls = sessions();
    const first = await calls.sight(ringing('+44 20 7946 0123'), 1, 'GB');
    offset = 200;
    // The CRM shows the number in another format.
    const second = await calls.sight(ringing('020 7946 0123'), 2, 'GB');
    expect(second?.session.id).toBe(first?.session.id);
    expect(second?.isNew).toBe(false);
    expect(second?.changed).toBe(false);
    expect(await db.count('calls')).toBe(1);
  });

  it('makes one session when two tabs report the same call at the same moment', async () => {
    const calls = sessions();
    const [a, b] = await Promise.all([
      calls.sight(ringing('+44 20 7946 0123'), 1, 'GB'),
      calls.sight(ringing('020 7946 0123'), 2, 'GB'),
    ]);
    expect(a?.session.id).toBe(b?.session.id);
    expect([a?.isNew, b?.isNew].filter(Boolean)).toHaveLength(1);
    expect(await db.count('calls')).toBe(1);
  });

  it('makes one session when two workers race on the same database', async () => {
    const other = await openDatabase(factory);
    try {
      const [a, b] = await Promise.all([
        sessions().sight(ringing(), 1, 'GB'),
        sessions(other).sight(ringing(), 2, 'GB'),
      ]);
      expect(a?.session.id).toBe(b?.session.id);
      expect(await db.count('calls')).toBe(1);
    } finally {
      other.close();
    }
  });

  it('keeps different callers apart', async () => {
    const calls = sessions();
    const a = await calls.sight(ringing('+44 20 7946 0123'), 1, 'GB');
    const b = await calls.sight(ringing('+44 20 7946 0999'), 1, 'GB');
    expect(a?.session.id).not.toBe(b?.session.id);
    expect(b?.isNew).toBe(true);
  });

  it('advances ringing -> connected -> ended with timestamps', async () => {
    const calls = sessions();
    const rung = await calls.sight(ringing(), 1, 'GB');
    offset = 5_000;
    const connected = await calls.sight(sighting('connected'), 1, 'GB');
    expect(connected).toMatchObject({
      isNew: false,
      changed: true,
      session: {
        id: rung?.session.id,
        state: 'connected',
        ringingAt: at(0),
        connectedAt: at(5_000),
        updatedAt: at(5_000),
      },
    });
    offset = 65_000;
    const ended = await calls.sight(sighting('ended'), 1, 'GB');
    expect(ended).toMatchObject({
      isNew: false,
      changed: true,
      session: {
        id: rung?.session.id,
        state: 'ended',
        ringingAt: at(0),
        connectedAt: at(5_000),
        endedAt: at(65_000),
        updatedAt: at(65_000),
      },
    });
    expect(await calls.get(rung?.session.id ?? '')).toEqual(ended?.session);
  });

  it('ends a call that was never answered without a connectedAt', async () => {
    const calls = sessions();
    await calls.sight(ringing(), 1, 'GB');
    offset = 20_000;
    const ended = await calls.sight(sighting('ended'), 1, 'GB');
    expect(ended?.session.state).toBe('ended');
    expect(ended?.session.endedAt).toBe(at(20_000));
    expect(ended?.session.connectedAt).toBeUndefined();
  });

  it('never moves a call back', async () => {
    const calls = sessions();
    const rung = await calls.sight(ringing(), 1, 'GB');
    offset = 5_000;
    await calls.sight(sighting('connected'), 1, 'GB');
    offset = 6_000;
    // A slower tab still shows the call ringing.
    const late = await calls.sight(ringing(), 2, 'GB');
    expect(late).toMatchObject({
      isNew: false,
      changed: false,
      session: { id: rung?.session.id, state: 'connected', updatedAt: at(5_000) },
    });
    offset = 10_000;
    await calls.sight(sighting('ended'), 1, 'GB');
    offset = 11_000;
    const lateConnected = await calls.sight(sighting('connected'), 2, 'GB');
    expect(lateConnected).toMatchObject({
      changed: false,
      session: {
        id: rung?.session.id,
        state: 'ended',
        connectedAt: at(5_000),
        endedAt: at(10_000),
      },
    });
    const stored = await calls.get(rung?.session.id ?? '');
    expect(stored?.state).toBe('ended');
    expect(stored?.updatedAt).toBe(at(10_000));
    expect(await db.count('calls')).toBe(1);
  });

  it('reports a repeated state as unchanged', async () => {
    const calls = sessions();
    await calls.sight(ringing(), 1, 'GB');
    offset = 1_000;
    const again = await calls.sight(ringing(), 1, 'GB');
    expect(again).toMatchObject({ isNew: false, changed: false });
    expect(again?.session.updatedAt).toBe(at(0));
  });

  it('returns null for the end of a call it never saw', async () => {
    const calls = sessions();
    expect(await calls.sight(sighting('ended'), 1, 'GB')).toBeNull();
    expect(await db.count('calls')).toBe(0);
    expect(await calls.current()).toBeNull();
  });

  it('starts a new session when the caller rings again after the call ended', async () => {
    const calls = sessions();
    const first = await calls.sight(ringing(), 1, 'GB');
    offset = 60_000;
    await calls.sight(sighting('ended'), 1, 'GB');
    offset = 120_000;
    const second = await calls.sight(ringing(), 1, 'GB');
    expect(second?.isNew).toBe(true);
    expect(second?.session.id).not.toBe(first?.session.id);
    expect(second?.session).toMatchObject({ state: 'ringing', ringingAt: at(120_000) });
    expect((await calls.get(first?.session.id ?? ''))?.state).toBe('ended');
    // Later sightings go to the new call, not the ended one.
    offset = 125_000;
    const connected = await calls.sight(sighting('connected'), 1, 'GB');
    expect(connected?.session.id).toBe(second?.session.id);
    expect(connected?.session.state).toBe('connected');
  });

  it('starts a new session when an old ring was never answered', async () => {
    const calls = sessions();
    const first = await calls.sight(ringing(), 1, 'GB');
    offset = 30 * 60_000;
    const second = await calls.sight(ringing(), 1, 'GB');
    expect(second?.isNew).toBe(true);
    expect(second?.session.id).not.toBe(first?.session.id);
  });

  it('matches a sighting to its session by the platform call id', async () => {
    const calls = sessions();
    const first = await calls.sight(ringing('+44 20 7946 0123', { callId: 'c-1' }), 1, 'GB');
    offset = 1_000;
    // The same caller on a second line is another call.
    const other = await calls.sight(ringing('+44 20 7946 0123', { callId: 'c-2' }), 1, 'GB');
    expect(other?.isNew).toBe(true);
    expect(other?.session.id).not.toBe(first?.session.id);
    offset = 2_000;
    // The page now shows the number differently; the call id still says which call it is.
    const connected = await calls.sight(
      { raw: '020 7946 0123', state: 'connected', detector: 'demo-softphone', callId: 'c-1' },
      1,
      'GB',
    );
    expect(connected?.session.id).toBe(first?.session.id);
    expect(connected?.session.state).toBe('connected');
    expect((await calls.get(other?.session.id ?? ''))?.state).toBe('ringing');
  });

  it('keeps a call whose number cannot be read, with the problem and a failed lookup', async () => {
    const calls = sessions();
    const result = await calls.sight(ringing('Anonymous'), 1, 'GB');
    expect(result?.isNew).toBe(true);
    expect(result?.session).toMatchObject({
      rawNumber: 'Anonymous',
      identity: null,
      problem: expect.any(String),
      lookup: { status: 'failed', message: result?.session.problem },
    });
    expect(result?.session.problem).not.toBe('');
    // The same unreadable caller seen again is the same call.
    offset = 1_000;
    const again = await calls.sight(sighting('connected', 'Anonymous'), 2, 'GB');
    expect(again?.session.id).toBe(result?.session.id);
    expect(again?.session.state).toBe('connected');
  });

  it('keeps a call whose tel: link the page garbled, instead of failing the sighting', async () => {
    // The raw text comes from the page; "%E0%A4%A" is not valid percent-encoding.
    const result = await sessions().sight(ringing('tel:%E0%A4%A'), 1, 'GB');
    expect(result?.isNew).toBe(true);
    expect(result?.session).toMatchObject({ identity: null, lookup: { status: 'failed' } });
  });

  it('reads a national number in the region it is given', async () => {
    const result = await sessions().sight(ringing('(415) 555-0100'), 1, 'US');
    expect(result?.session.identity).toEqual({ namespace: 'phone', value: '+14155550100' });
  });

  it('answers current() with the newest call that is not wrapped up', async () => {
    const calls = sessions();
    expect(await calls.current()).toBeNull();
    const first = await calls.sight(ringing('+44 20 7946 0123'), 1, 'GB');
    offset = 1_000;
    const second = await calls.sight(ringing('+44 20 7946 0999'), 1, 'GB');
    expect((await calls.current())?.id).toBe(second?.session.id);
    // Wrap-up is done elsewhere (the after-call form); it takes a call out of current().
    const wrapped: CallSession | undefined = await calls.get(second?.session.id ?? '');
    if (!wrapped) throw new Error('no second session');
    await db.put('calls', { ...wrapped, state: 'wrapped_up' });
    expect((await calls.current())?.id).toBe(first?.session.id);
  });

  it('still shows an ended call as current until it is wrapped up', async () => {
    const calls = sessions();
    const rung = await calls.sight(ringing(), 1, 'GB');
    await calls.sight(sighting('ended'), 1, 'GB');
    expect(await calls.current()).toMatchObject({ id: rung?.session.id, state: 'ended' });
  });

  it('records a lookup result', async () => {
    const calls = sessions();
    const rung = await calls.sight(ringing(), 1, 'GB');
    offset = 3_000;
    const updated = await calls.setLookup(rung?.session.id ?? '', {
      status: 'failed',
      message: 'down',
    });
    expect(updated).toMatchObject({
      lookup: { status: 'failed', message: 'down' },
      updatedAt: at(3_000),
    });
    expect((await calls.get(rung?.session.id ?? ''))?.lookup).toEqual({
      status: 'failed',
      message: 'down',
    });
    expect(await calls.setLookup('no-such-session', { status: 'pending' })).toBeUndefined();
  });

  it('keeps its state across a worker restart', async () => {
    const before = sessions();
    const rung = await before.sight(ringing(), 1, 'GB');
    offset = 2_000;
    await before.sight(sighting('connected'), 1, 'GB');
    db.close();

    // A new worker: a new connection to the same database.
    db = await openDatabase(factory);
    const after = sessions(db);
    expect(await after.current()).toMatchObject({
      id: rung?.session.id,
      state: 'connected',
      connectedAt: at(2_000),
      lookup: { status: 'pending' },
    });
    offset = 9_000;
    const ended = await after.sight(sighting('ended'), 1, 'GB');
    expect(ended).toMatchObject({
      isNew: false,
      session: { id: rung?.session.id, state: 'ended' },
    });
  });
});

describe('call sessions: missed, waiting and wrapped-up calls', () => {
  it('marks a call that rang and went away unanswered as missed', async () => {
    const calls = sessions();
    await calls.sight(ringing(), 1, 'GB');
    offset = 15_000;
    const ended = await calls.sight(sighting('ended'), 1, 'GB');
    expect(ended?.session).toMatchObject({ state: 'ended', missed: true, endedAt: at(15_000) });
    // An answered call is not missed.
    offset = 60_000;
    await calls.sight(ringing('+44 20 7946 0999'), 1, 'GB');
    await calls.sight(sighting('connected', '+44 20 7946 0999'), 1, 'GB');
    const answered = await calls.sight(sighting('ended', '+44 20 7946 0999'), 1, 'GB');
    expect(answered?.session.missed).toBeUndefined();
  });

  it('counts a ring no tab updated for the ring limit as missed', async () => {
    const calls = sessions();
    await calls.sight(ringing(), 1, 'GB');
    offset = 6 * 60_000;
    expect(await calls.current()).toMatchObject({ state: 'ended', missed: true });
  });

  it('keeps the call the agent is on as primary while a second one rings', async () => {
    const calls = sessions();
    const first = await calls.sight(ringing('+44 20 7946 0123'), 1, 'GB');
    await calls.sight(sighting('connected', '+44 20 7946 0123'), 1, 'GB');
    offset = 30_000;
    const second = await calls.sight(ringing('+34 612 34 56 78'), 1, 'GB');
    expect((await calls.current())?.id).toBe(first?.session.id);
    expect((await calls.waiting()).map((s) => s.id)).toEqual([second?.session.id]);
    // The agent hangs up the first call: the waiting one, still ringing, becomes primary.
    offset = 40_000;
    await calls.sight(sighting('ended', '+44 20 7946 0123'), 1, 'GB');
    expect((await calls.current())?.id).toBe(second?.session.id);
    expect(await calls.waiting()).toEqual([]);
  });

  it('wraps a call up with its time; a wrapped-up call leaves current()', async () => {
    const calls = sessions();
    const rung = await calls.sight(ringing(), 1, 'GB');
    await calls.sight(sighting('connected'), 1, 'GB');
    offset = 90_000;
    await calls.sight(sighting('ended'), 1, 'GB');
    offset = 120_000;
    const wrapped = await calls.wrapUp(rung?.session.id ?? '');
    expect(wrapped).toMatchObject({
      state: 'wrapped_up',
      wrappedUpAt: at(120_000),
      endedAt: at(90_000),
    });
    expect(await calls.current()).toBeNull();
    expect(await calls.wrapUp(rung?.session.id ?? '')).toBeUndefined();
    expect(await calls.wrapUp('no-such-call')).toBeUndefined();
  });

  it('refuses to start a call when the tab may not, but still moves a known one on', async () => {
    const calls = sessions();
    await calls.sight(ringing(), 1, 'GB');
    expect(await calls.sight(ringing('+34 612 34 56 78'), 1, 'GB', false)).toBeNull();
    expect((await calls.sight(sighting('connected'), 1, 'GB', false))?.session.state).toBe(
      'connected',
    );
  });
});
