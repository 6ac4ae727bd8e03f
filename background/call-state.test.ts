import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AfterCallEvent } from '../shared/after-call';
import type { CallSession } from '../shared/call';
import type { CallerContext } from '../shared/model';
import { createCallSessions } from './call-sessions';
import { createCallState } from './call-state';
import { type Database, openDatabase } from './db';
import { createOutbox } from './outbox';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const ringing = { raw: '+44 20 7946 0123', state: 'ringing' as const, detector: 'demo-softphone' };

function contextWith(...ids: string[]): CallerContext {
  return {
    identity: { namespace: 'phone', value: '+442079460123' },
    fetchedAt: NOW.toISOString(),
    errors: [],
    matches: ids.map((id) => ({
      profile: { id, source: 'demo', displayName: id, attributes: {} },
      activity: [],
      cases: [],
    })),
  };
}

let db: Database;

beforeEach(async () => {
  db = await openDatabase(new IDBFactory());
});
afterEach(() => db.close());

/** The call state on the test's database; `onTold` runs as the pages are told. */
function setup(onTold?: (session: CallSession | null) => void) {
  const told: (CallSession | null)[] = [];
  const followed: (string | null)[] = [];
  const after: (CallSession | null)[] = [];
  const calls = createCallState({
    db: Promise.resolve(db),
    now: () => NOW,
    broadcast: (session) => {
      told.push(session);
      onTold?.(session);
    },
    follow: (callId) => followed.push(callId),
    afterChange: (primary) => after.push(primary),
  });
  return { calls, told, followed, after };
}

describe('the call state: every change stored, then published', () => {
  it('tells the pages the primary call, follows it once looked up, and tells the rest after', async () => {
    const { calls, told, followed, after } = setup();
    const sighted = await calls.sight(ringing, 3, 'GB');
    const id = sighted?.session.id as string;
    expect(told).toEqual([expect.objectContaining({ id, state: 'ringing' })]);
    // Not looked up yet: nothing to stream.
    expect(followed).toEqual([null]);
    // Presence and retention come after the pages, with the call that was published.
    expect(after).toEqual([]);
    await vi.waitFor(() => expect(after).toEqual([told[0]]));

    await calls.setLookup(id, { status: 'done', context: contextWith('jane') });
    expect(told.at(-1)).toMatchObject({ id, lookup: { status: 'done' } });
    expect(followed.at(-1)).toBe(id);
    // The primary call published is the one a fresh read gives.
    expect(told.at(-1)).toEqual(await createCallSessions({ db, now: () => NOW }).current());

    await calls.wrapUp(id);
    expect(told.at(-1)).toBeNull();
    expect(followed.at(-1)).toBeNull();
  });

  it('publishes nothing for a sighting that changes nothing, nor for a lookup of no call', async () => {
    const { calls, told } = setup();
    const sighted = await calls.sight(ringing, 3, 'GB');
    await calls.sight(ringing, 4, 'GB');
    expect(await calls.setLookup('no-such-call', { status: 'pending' })).toBeUndefined();
    expect(told).toHaveLength(1);
    expect(sighted?.isNew).toBe(true);
  });

  it('tells the pages of a sighting while its write commits; what they read then sees it', async () => {
    let committed = false;
    const open = db.transaction.bind(db);
    vi.spyOn(db, 'transaction').mockImplementationOnce(((...args: Parameters<typeof open>) => {
      const tx = open(...args);
      tx.done.then(() => {
        committed = true;
      });
      return tx;
    }) as typeof db.transaction);
    const toldBeforeCommit: boolean[] = [];
    const reads: Promise<CallSession | null>[] = [];
    const { calls } = setup(() => {
      toldBeforeCommit.push(!committed);
      // A page asking at once (the sidebar's follow-up requests) reads after the commit.
      reads.push(createCallSessions({ db, now: () => NOW }).current());
    });
    const id = (await calls.sight(ringing, 3, 'GB'))?.session.id;
    expect(toldBeforeCommit).toEqual([true]);
    expect(committed).toBe(true);
    expect(await reads[0]).toMatchObject({ id, state: 'ringing' });
  });

  it('tells the pages again what is stored when a sighting fails to commit, and fails', async () => {
    let sighting: { abort(): void } | undefined;
    const { calls, told, followed, after } = setup(() => {
      // The commit fails (a full disk, a closing database) once the pages were told.
      sighting?.abort();
      sighting = undefined;
    });
    const id = (await calls.sight(ringing, 3, 'GB'))?.session.id as string;
    await vi.waitFor(() => expect(after).toHaveLength(1));
    told.length = 0;
    after.length = 0;
    const open = db.transaction.bind(db);
    vi.spyOn(db, 'transaction').mockImplementationOnce(((...args: Parameters<typeof open>) => {
      const tx = open(...args);
      sighting = tx;
      // Spied through idb's proxy, the transaction is wrapped twice, each wrap with its own
      // `done`: the code under test handles the one it holds, this one is left to the test.
      tx.done.catch(() => {});
      return tx;
    }) as typeof db.transaction);
    await expect(calls.sight({ ...ringing, state: 'connected' }, 3, 'GB')).rejects.toThrow();
    // First the connected call, at once; then, the write undone, the call as stored: ringing.
    expect(told).toEqual([
      expect.objectContaining({ id, state: 'connected' }),
      expect.objectContaining({ id, state: 'ringing' }),
    ]);
    expect((await db.get('calls', id))?.state).toBe('ringing');
    expect(followed.at(-1)).toBeNull();
    // What follows a change (presence, retention) hears only what was stored.
    await vi.waitFor(() => expect(after).toEqual([told[1]]));
  });

  it('publishes a pick with the picked call and restarts the stream for that customer', async () => {
    const { calls, told, followed } = setup();
    const id = (await calls.sight(ringing, 3, 'GB'))?.session.id as string;
    await calls.setLookup(id, { status: 'done', context: contextWith('tessa', 'tom') });
    told.length = 0;
    followed.length = 0;
    expect(await calls.pickMatch(id, 'nobody')).toBeUndefined();
    expect(told).toEqual([]);
    await calls.pickMatch(id, 'tessa');
    expect(told).toEqual([expect.objectContaining({ id, pickedProfileId: 'tessa' })]);
    expect(followed).toEqual([null, id]);
  });

  it('logs a call in one transaction with the outbox: the event, no draft, the call wrapped up', async () => {
    const { calls, told } = setup();
    const id = (await calls.sight(ringing, 3, 'GB'))?.session.id as string;
    await db.put('wrapUpDrafts', {
      callId: id,
      disposition: 'resolved',
      notes: 'half',
      followUpOn: '',
      caseId: '',
      updatedAt: NOW.toISOString(),
    });
    const outbox = createOutbox({
      db: Promise.resolve(db),
      gateway: async () => ({ gatewayUrl: 'http://127.0.0.1:9' }),
      wake: () => {},
    });
    const event: AfterCallEvent = {
      id: '3b241101-e2bb-4255-8caf-4136c566a962',
      type: 'call.logged',
      callId: id,
      identity: { namespace: 'phone', value: '+442079460123' },
      rawNumber: ringing.raw,
      profile: null,
      disposition: { code: 'resolved', label: 'Resolved' },
      notes: '',
      ringingAt: NOW.toISOString(),
      endedAt: NOW.toISOString(),
      talkSeconds: 0,
      loggedAt: NOW.toISOString(),
    };
    expect(await calls.logCall(event, outbox)).toEqual({ duplicate: false });
    expect((await db.get('calls', id))?.state).toBe('wrapped_up');
    expect(await db.get('wrapUpDrafts', id)).toBeUndefined();
    expect((await db.get('outbox', event.id))?.status).toBe('pending');
    expect(told.at(-1)).toBeNull();
    expect(await calls.logCall(event, outbox)).toEqual({ duplicate: true });
  });

  it('lends live activity its store unpublished; `updated` publishes the result', async () => {
    const { calls, told } = setup();
    const id = (await calls.sight(ringing, 3, 'GB'))?.session.id as string;
    told.length = 0;
    const store = await calls.activityStore();
    const stored = await store.setLookup(id, { status: 'done', context: contextWith('jane') });
    expect(told).toEqual([]);
    calls.updated(stored as CallSession);
    expect(told).toEqual([stored]);
  });
});
