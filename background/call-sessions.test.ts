import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallerSighting, CallSession, Lookup } from '../shared/call';
import {
  createCallSessions,
  identityFromRaw,
  RECENT_CALLS_MS,
  RING_LIMIT_MS,
} from './call-sessions';
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

/**
 * What a sighting and the primary call were before the calls had indexes: every call of the last
 * hours read and searched. The indexed reads must answer the same (background/call-sessions.ts).
 */
function byScan(all: CallSession[], sighting: CallerSighting, now: number) {
  const since = new Date(now - RECENT_CALLS_MS).toISOString();
  const recent = all
    .filter((s) => s.ringingAt >= since)
    .sort((a, b) =>
      a.ringingAt < b.ringingAt ? -1 : a.ringingAt > b.ringingAt ? 1 : a.id < b.id ? -1 : 1,
    );
  const read = identityFromRaw(sighting.raw, 'GB');
  const identity = 'identity' in read ? read.identity : null;
  const order = { ringing: 0, connected: 1, ended: 2, wrapped_up: 3 } as const;
  const same = [...recent].reverse().find((s) => {
    if (sighting.callId && s.callId) return sighting.callId === s.callId;
    const sameCaller = identity
      ? s.identity?.namespace === identity.namespace && s.identity.value === identity.value
      : s.identity === null && s.rawNumber === sighting.raw;
    if (!sameCaller) return false;
    if (s.state === 'ringing' && now - Date.parse(s.ringingAt) > RING_LIMIT_MS) return false;
    return !(sighting.state === 'ringing' && order[s.state] >= order.ended);
  });
  const rank = { connected: 0, ringing: 1, ended: 2, wrapped_up: 3 } as const;
  const primary = recent
    .filter((s) => s.state !== 'wrapped_up')
    .map((s) =>
      s.state === 'ringing' && now - Date.parse(s.updatedAt) > RING_LIMIT_MS
        ? { ...s, state: 'ended' as const }
        : s,
    )
    .sort((a, b) => rank[a.state] - rank[b.state] || b.ringingAt.localeCompare(a.ringingAt))[0];
  return { same: same?.id, primary: primary?.id };
}

/** A small deterministic random source, so a failing sequence can be replayed. */
function randomFrom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe('call sessions: indexed reads', () => {
  it.each([1, 2, 3, 4, 5])(
    'find the same call and the same primary call as a read of every call (sequence %i)',
    async (seed) => {
      const random = randomFrom(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
      const numbers = ['+44 20 7946 0123', '+34 612 34 56 78', '020 7946 0123', 'withheld', '12'];
      const states = ['ringing', 'ringing', 'connected', 'ended'] as const;
      const calls = sessions();
      for (let step = 0; step < 150; step++) {
        // Sometimes the same instant, mostly seconds apart, now and then hours.
        offset += pick([0, 1_000, 20_000, 90_000, 6 * 60_000, 3 * 3600_000]);
        if (random() < 0.15) {
          const open = await db.getAll('calls');
          const some = open[Math.floor(random() * open.length)];
          if (some) await calls.wrapUp(some.id);
          continue;
        }
        const seen: CallerSighting = {
          raw: pick(numbers),
          state: pick(states),
          detector: 'demo-softphone',
          ...(random() < 0.3 ? { callId: `call-${Math.floor(random() * 6)}` } : {}),
        };
        const expected = byScan(await db.getAll('calls'), seen, START + offset);
        const result = await calls.sight(seen, 1, 'GB');
        if (expected.same) expect(result?.session.id).toBe(expected.same);
        else if (result) expect(result.isNew).toBe(true);
        const after = byScan(await db.getAll('calls'), seen, START + offset);
        expect((await calls.current())?.id).toBe(after.primary);
      }
      // The sequence went through the cases worth checking.
      const all = await db.getAll('calls');
      expect(all.some((s) => s.state === 'wrapped_up')).toBe(true);
      expect(all.some((s) => s.identity === null)).toBe(true);
      expect(all.some((s) => s.callId)).toBe(true);
    },
  );

  it('keeps the primary call in what a sighting reads, with the ended calls piled up before it', async () => {
    const calls = sessions();
    for (let i = 0; i < 5; i++) {
      offset = i * 60_000;
      await calls.sight(ringing('+44 20 7946 0123'), 1, 'GB');
      await calls.sight(sighting('ended', '+44 20 7946 0123'), 1, 'GB');
    }
    expect((await db.getAll('calls')).filter((s) => s.state === 'ended')).toHaveLength(5);
    expect((await calls.current())?.id).toBe('session-5');
    offset = 10 * 60_000;
    // A late "connected" for the newest call joins it (a new ring would start another).
    const late = await calls.sight(sighting('connected', '+44 20 7946 0123'), 1, 'GB');
    expect(late).toMatchObject({ isNew: false, changed: false, session: { id: 'session-5' } });
  });
});

describe('call sessions: a lookup known when the call starts', () => {
  const cached: Lookup = {
    status: 'done',
    context: {
      identity: { namespace: 'phone', value: '+442079460123' },
      fetchedAt: at(0),
      errors: [],
      matches: [],
    },
  };

  it('starts a new call with it, in the same write, and the primary call read with it', async () => {
    const calls = sessions();
    const stores: string[][] = [];
    const { result, primary } = await calls.sightReadingPrimary(
      ringing(),
      1,
      'GB',
      true,
      async (tx, identity) => {
        stores.push([...tx.objectStoreNames]);
        expect(identity).toEqual({ namespace: 'phone', value: '+442079460123' });
        return { lookup: cached, verbalConsentRequired: true };
      },
    );
    expect(stores).toEqual([['calls', 'contextCache', 'outbox']]);
    expect(result).toMatchObject({
      isNew: true,
      session: { lookup: cached, verbalConsent: { state: 'required' } },
    });
    expect(primary).toEqual(result?.session);
    expect(await db.get('calls', 'session-1')).toEqual(result?.session);
  });

  it('starts it pending when nothing is known, and reads nothing for a sighting that cannot start a call', async () => {
    const calls = sessions();
    let reads = 0;
    const known = async () => {
      reads++;
      return undefined;
    };
    const first = await calls.sightReadingPrimary(ringing(), 1, 'GB', true, known);
    expect(first.result?.session.lookup).toEqual({ status: 'pending' });
    expect(first.result?.session.verbalConsent).toBeUndefined();
    expect(reads).toBe(1);
    await calls.sightReadingPrimary(sighting('ended'), 1, 'GB', true, known);
    await calls.sightReadingPrimary(ringing('+34 612 34 56 78'), 1, 'GB', false, known);
    await calls.sightReadingPrimary(ringing('withheld'), 1, 'GB', true, known);
    expect(reads).toBe(1);
  });

  it('leaves a call that is not new as it was', async () => {
    const calls = sessions();
    const rung = await calls.sight(ringing(), 1, 'GB');
    const again = await calls.sightReadingPrimary(
      sighting('connected'),
      1,
      'GB',
      true,
      async () => ({ lookup: cached }),
    );
    expect(again.result).toMatchObject({
      isNew: false,
      session: { id: rung?.session.id, lookup: { status: 'pending' } },
    });
  });

  it('writes nothing when the read fails, not even a sighting that moves a call on', async () => {
    const calls = sessions();
    await calls.sight(ringing(), 1, 'GB');
    const failing = async () => {
      throw new Error('the cache could not be read');
    };
    await expect(
      calls.sightReadingPrimary(sighting('connected'), 1, 'GB', true, failing),
    ).rejects.toThrow('the cache could not be read');
    await expect(
      calls.sightReadingPrimary(ringing('+34 612 34 56 78'), 1, 'GB', true, failing),
    ).rejects.toThrow();
    expect(await db.getAll('calls')).toMatchObject([{ id: 'session-1', state: 'ringing' }]);
    // Without the read, the same sighting moves the call on.
    expect((await calls.sight(sighting('connected'), 1, 'GB'))?.session.state).toBe('connected');
  });
});
