import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AfterCallEvent, WrapUpDraft } from '../shared/after-call';
import type { CallerContext } from '../shared/model';
import { createAuditLog } from './audit-log';
import { createCallSessions, RING_LIMIT_MS } from './call-sessions';
import { createCallState } from './call-state';
import { type Database, openDatabase } from './db';
import { createOutbox } from './outbox';
import {
  callFinishedAt,
  createRetention,
  createRetentionRunner,
  LOOK_SOON_MS,
  MAX_LOOK_AGAIN_MS,
  MIN_LOOK_AGAIN_MS,
  RETENTION_ALARM,
} from './retention';

const START = Date.parse('2025-03-01T10:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 3600_000;
const JANE = { namespace: 'phone', value: '+442079460123' };

const janeContext: CallerContext = {
  identity: JANE,
  fetchedAt: new Date(START).toISOString(),
  errors: [],
  matches: [
    {
      profile: {
        id: 'cust-1',
        source: 'demo',
        displayName: 'Jane Doe',
        emails: ['jane@example.com'],
        attributes: { tier: 'Gold' },
      },
      activity: [
        { id: 'e1', at: new Date(START - MINUTE).toISOString(), type: 'cart_add', source: 'web' },
      ],
      cases: [{ id: 'case-1', title: 'Broken kettle' }],
    },
  ],
};

let db: Database;
let clock: number;
let hours: number;
let ids: number;

const now = () => clock;
const sessions = () =>
  createCallSessions({ db, now: () => new Date(clock), newId: () => `call-${++ids}` });
const retention = () => createRetention({ db, retentionHours: async () => hours, now });

/** A call from ring to end, looked up (Jane), with a cached context and an audit entry. */
async function callFromJane(): Promise<string> {
  const calls = sessions();
  const rang = await calls.sight(
    { raw: '+44 20 7946 0123', state: 'ringing', detector: 'demo' },
    1,
    'GB',
  );
  const id = rang?.session.id as string;
  await calls.setLookup(id, { status: 'done', context: janeContext });
  await db.put('contextCache', {
    key: 'phone:+442079460123',
    context: janeContext,
    storedAt: clock,
    expiresAt: clock + HOUR,
  });
  await createAuditLog({ db: Promise.resolve(db), now: () => new Date(clock) }).record({
    who: 'this browser',
    identity: 'phone:+442079460123',
    reason: 'call',
    callId: id,
  });
  clock += MINUTE;
  await calls.sight({ raw: '+44 20 7946 0123', state: 'connected', detector: 'demo' }, 1, 'GB');
  clock += 5 * MINUTE;
  await calls.sight({ raw: '+44 20 7946 0123', state: 'ended', detector: 'demo' }, 1, 'GB');
  return id;
}

function draftFor(callId: string): WrapUpDraft {
  return {
    callId,
    disposition: 'resolved',
    notes: 'Jane wants a refund',
    followUpOn: '',
    caseId: '',
    updatedAt: new Date(clock).toISOString(),
  };
}

function loggedEvent(callId: string, n: number): AfterCallEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type: 'call.logged',
    callId,
    identity: JANE,
    rawNumber: '+44 20 7946 0123',
    profile: { id: 'cust-1', source: 'demo', name: 'Jane Doe' },
    disposition: { code: 'resolved', label: 'Resolved' },
    notes: 'Jane wants a refund',
    ringingAt: new Date(START).toISOString(),
    endedAt: new Date(START + 6 * MINUTE).toISOString(),
    talkSeconds: 300,
    loggedAt: new Date(clock).toISOString(),
  };
}

function outbox(answer: number) {
  return createOutbox({
    db,
    gateway: async () => ({ gatewayUrl: 'http://127.0.0.1:1' }),
    fetch: async () => new Response('{}', { status: answer }),
    now,
    wake: () => {},
  });
}

/** "Log call" as the worker does it: the event into the outbox, the call wrapped up with it. */
function logCall(answer: number, event: AfterCallEvent) {
  const calls = createCallState({
    db: Promise.resolve(db),
    now: () => new Date(clock),
    broadcast: () => {},
    follow: () => {},
  });
  return calls.logCall(event, outbox(answer));
}

/** Everything IndexedDB holds that names a customer or what they did (the audit list aside). */
async function customerData() {
  return {
    calls: await db.getAll('calls'),
    drafts: await db.getAll('wrapUpDrafts'),
    cached: await db.getAll('contextCache'),
    outbox: await db.getAll('outbox'),
  };
}

beforeEach(async () => {
  db = await openDatabase(new IDBFactory());
  clock = START;
  hours = 4;
  ids = 0;
});

afterEach(() => {
  db.close();
});

describe('retention of finished calls', () => {
  it('keeps a wrapped-up call until the window after its wrap-up, then keeps only the audit entry', async () => {
    const id = await callFromJane();
    await db.put('wrapUpDrafts', draftFor(id));
    clock += 2 * MINUTE;
    const wrappedAt = clock;
    await logCall(202, loggedEvent(id, 1));
    await outbox(202).drain();

    clock = wrappedAt + 4 * HOUR - 1;
    const early = await retention().prune();
    expect(early).toMatchObject({ calls: 0, drafts: 0, sent: 0 });
    expect((await db.get('calls', id))?.lookup).toEqual({ status: 'done', context: janeContext });
    // The next pass is due when the wrap-up's window ends (the sent event's, a moment later).
    expect(early.nextAt).toBe(wrappedAt + 4 * HOUR);

    clock = wrappedAt + 4 * HOUR + 1000;
    const pruned = await retention().prune();
    expect(pruned).toMatchObject({ calls: 1, sent: 1, nextAt: null });
    expect(await customerData()).toEqual({ calls: [], drafts: [], cached: [], outbox: [] });
    const audit = await db.getAll('audit');
    expect(audit).toEqual([
      expect.objectContaining({ identity: 'phone:+442079460123', who: 'this browser', callId: id }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('Jane');
  });

  it('counts a call never wrapped up from its end, draft included', async () => {
    const id = await callFromJane();
    const endedAt = clock;
    clock += 10 * MINUTE;
    await db.put('wrapUpDrafts', draftFor(id));

    clock = endedAt + 4 * HOUR - 1;
    await retention().prune();
    expect(await db.get('wrapUpDrafts', id)).toBeDefined();
    expect(await db.get('calls', id)).toBeDefined();

    clock = endedAt + 4 * HOUR;
    await retention().prune();
    expect(await customerData()).toEqual({ calls: [], drafts: [], cached: [], outbox: [] });
  });

  it('never deletes a call still going, and looks again within the window to start its clock', async () => {
    hours = 0.1;
    const calls = sessions();
    const rang = await calls.sight(
      { raw: '+442079460123', state: 'ringing', detector: 'd' },
      1,
      'GB',
    );
    await calls.sight({ raw: '+442079460123', state: 'connected', detector: 'd' }, 1, 'GB');
    const id = rang?.session.id as string;

    clock += 3 * HOUR;
    const during = await retention().prune();
    expect(during.calls).toBe(0);
    expect(await db.get('calls', id)).toBeDefined();
    expect(during.nextAt).toBe(clock + 6 * MINUTE);

    await calls.sight({ raw: '+442079460123', state: 'ended', detector: 'd' }, 1, 'GB');
    expect(callFinishedAt((await db.get('calls', id)) ?? fail())).toEqual({
      at: clock,
      final: true,
    });
    clock += 6 * MINUTE - 1;
    expect((await retention().prune()).calls).toBe(0);
    clock += 1;
    expect((await retention().prune()).calls).toBe(1);
  });

  it('treats a ring nobody answered as finished at the ring limit', async () => {
    hours = 1;
    const rang = await sessions().sight(
      { raw: '+442079460123', state: 'ringing', detector: 'd' },
      1,
      'GB',
    );
    clock += RING_LIMIT_MS + HOUR - 1;
    expect((await retention().prune()).calls).toBe(0);
    clock += 1;
    expect((await retention().prune()).calls).toBe(1);
    expect(await db.get('calls', rang?.session.id as string)).toBeUndefined();
  });

  it('with a window of 0, deletes a wrapped-up call at the first pass after', async () => {
    hours = 0;
    const id = await callFromJane();
    await sessions().wrapUp(id);
    expect((await retention().prune()).calls).toBe(1);
    expect(await customerData()).toEqual({ calls: [], drafts: [], cached: [], outbox: [] });
  });

  it('keeps after-call events not delivered yet and refused ones, whatever their age', async () => {
    hours = 1;
    const id = await callFromJane();
    await logCall(400, loggedEvent(id, 1));
    await outbox(400).drain();
    await logCall(503, loggedEvent(id, 2));
    await outbox(503).drain();
    clock += 30 * 24 * HOUR;
    await retention().prune();
    const kept = (await db.getAll('outbox')).map((e) => e.status).sort();
    expect(kept).toEqual(['failed', 'pending']);
  });

  it('deletes expired cached contexts even when no call is left, and waits for the next expiry', async () => {
    await db.put('contextCache', {
      key: 'phone:+1',
      context: janeContext,
      storedAt: clock,
      expiresAt: clock + MINUTE,
    });
    await db.put('contextCache', {
      key: 'phone:+2',
      context: janeContext,
      storedAt: clock,
      expiresAt: clock + 2 * MINUTE,
    });
    clock += MINUTE;
    const pass = await retention().prune();
    expect(pass).toMatchObject({ cached: 1, nextAt: START + 2 * MINUTE });
    expect((await db.getAll('contextCache')).map((c) => c.key)).toEqual(['phone:+2']);
  });

  it('deletes a draft whose call is gone one window after its last edit', async () => {
    hours = 1;
    await db.put('wrapUpDrafts', draftFor('call-gone'));
    clock += HOUR - 1;
    expect((await retention().prune()).drafts).toBe(0);
    clock += 1;
    expect((await retention().prune()).drafts).toBe(1);
  });

  it('has nothing to wait for on an empty store', async () => {
    expect(await retention().prune()).toEqual({
      calls: 0,
      drafts: 0,
      cached: 0,
      sent: 0,
      nextAt: null,
    });
  });
});

describe('the retention runner', () => {
  function runner(results: (() => Promise<{ calls: number; nextAt: number | null }>)[]) {
    const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
    const alarms: { name: string; when?: number; cleared?: boolean }[] = [];
    const deleted = vi.fn();
    const reported: unknown[] = [];
    let pass = 0;
    const run = createRetentionRunner({
      retention: {
        prune: async () => {
          const next = results[Math.min(pass++, results.length - 1)];
          const { calls, nextAt } = await (next ?? (async () => ({ calls: 0, nextAt: null })))();
          return { calls, drafts: 0, cached: 0, sent: 0, nextAt };
        },
      },
      alarms: {
        create: async (name, info) => void alarms.push({ name, when: info.when }),
        clear: async (name) => void alarms.push({ name, cleared: true }),
      },
      deleted,
      now,
      setTimer: (fn, ms) => {
        const timer = { run: fn, ms, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimer: (timer) => {
        (timer as { cleared: boolean }).cleared = true;
      },
      report: (error) => reported.push(error),
    });
    return { run, timers, alarms, deleted, reported, passes: () => pass };
  }

  it('sets a timer and an alarm for the next deletion due, and tells the sidebars when calls went', async () => {
    const r = runner([async () => ({ calls: 2, nextAt: START + HOUR })]);
    await r.run.run();
    expect(r.deleted).toHaveBeenCalledTimes(1);
    expect(r.timers).toEqual([expect.objectContaining({ ms: HOUR, cleared: false })]);
    expect(r.alarms).toEqual([{ name: RETENTION_ALARM, when: START + HOUR }]);
  });

  it('clears its alarm when nothing is left to delete, and does not bother the sidebars', async () => {
    const r = runner([async () => ({ calls: 0, nextAt: null })]);
    await r.run.run();
    expect(r.deleted).not.toHaveBeenCalled();
    expect(r.timers).toEqual([]);
    expect(r.alarms).toEqual([{ name: RETENTION_ALARM, cleared: true }]);
  });

  it('runs one more pass when asked during one, never two at once', async () => {
    let release: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      release = resolve;
    });
    const r = runner([
      async () => {
        await first;
        return { calls: 0, nextAt: null };
      },
      async () => ({ calls: 0, nextAt: null }),
    ]);
    const one = r.run.run();
    const two = r.run.run();
    const three = r.run.run();
    release();
    await Promise.all([one, two, three]);
    expect(r.passes()).toBe(2);
  });

  it('looks again shortly after changes, once for a burst', async () => {
    const r = runner([async () => ({ calls: 0, nextAt: null })]);
    r.run.soon();
    r.run.soon();
    expect(r.timers).toEqual([expect.objectContaining({ ms: LOOK_SOON_MS })]);
    r.timers[0]?.run();
    await vi.waitFor(() => expect(r.passes()).toBe(1));
    r.run.soon();
    expect(r.timers).toHaveLength(2);
  });

  it('reports a failed pass and tries again later instead of never', async () => {
    const r = runner([
      async () => {
        throw new Error('quota');
      },
    ]);
    await r.run.run();
    expect(r.reported).toEqual([new Error('quota')]);
    expect(r.alarms).toEqual([{ name: RETENTION_ALARM, when: START + MAX_LOOK_AGAIN_MS }]);
  });

  it('never looks again sooner than the floor while a call goes on', async () => {
    hours = 0;
    await sessions().sight({ raw: '+442079460123', state: 'connected', detector: 'd' }, 1, 'GB');
    expect((await retention().prune()).nextAt).toBe(START + MIN_LOOK_AGAIN_MS);
  });
});

function fail(): never {
  throw new Error('missing');
}
