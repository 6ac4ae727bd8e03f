import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../shared/after-call';
import { DB_NAME, DB_VERSION, openDatabase } from './db';
import type { OutboxEntry } from './outbox-entry';

function entry(n: number, event: Partial<AfterCallEvent>): OutboxEntry {
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    event: {
      id,
      type: 'call.logged',
      callId: `call-${n}`,
      identity: { namespace: 'phone', value: '+442079460123' },
      rawNumber: '+44 20 7946 0123',
      profile: { id: 'jane', source: 'demo' },
      disposition: { code: 'resolved', label: 'Resolved' },
      notes: '',
      ringingAt: '2026-11-21T09:50:00.000Z',
      talkSeconds: 0,
      loggedAt: '2026-11-21T09:55:00.000Z',
      ...event,
    },
    status: 'sent',
    at: 1,
    createdAt: 1,
    attempts: 1,
    leaseUntil: 0,
  };
}

/** The stores as version 4 made them, before the outbox had its identity and profile indexes. */
async function openVersion4(factory: IDBFactory) {
  globalThis.indexedDB = factory;
  return openDB(DB_NAME, 4, {
    upgrade(db) {
      db.createObjectStore('calls', { keyPath: 'id' }).createIndex('byRingingAt', 'ringingAt');
      db.createObjectStore('contextCache', { keyPath: 'key' }).createIndex(
        'byExpiresAt',
        'expiresAt',
      );
      db.createObjectStore('outbox', { keyPath: 'id' }).createIndex('byStatusAt', ['status', 'at']);
      db.createObjectStore('outboxState');
      db.createObjectStore('wrapUpDrafts', { keyPath: 'callId' });
      db.createObjectStore('audit', { keyPath: 'id', autoIncrement: true }).createIndex(
        'byAt',
        'at',
      );
    },
  });
}

describe('the database', () => {
  it('keeps every stored row when it upgrades from version 4, and indexes the outbox', async () => {
    const factory = new IDBFactory();
    const old = await openVersion4(factory);
    const fromJane = entry(1, {});
    const anonymous = entry(2, { identity: null, rawNumber: 'withheld', profile: null });
    const againstBob = entry(3, {
      identity: { namespace: 'phone', value: '+14155550132' },
      profile: { id: 'bob', source: 'crm' },
    });
    for (const e of [fromJane, anonymous, againstBob]) await old.put('outbox', e);
    await old.put('calls', { id: 'c1', ringingAt: '2026-11-21T09:50:00.000Z' });
    await old.put('contextCache', { key: 'phone:+442079460123', expiresAt: 5 });
    await old.put('outboxState', { failures: 2, pauseUntil: 9 }, 'gate');
    await old.put('wrapUpDrafts', { callId: 'c1', notes: 'half written' });
    await old.add('audit', { at: '2026-11-21T09:50:00.000Z', identity: 'phone:+442079460123' });
    old.close();

    const db = await openDatabase(factory);
    expect(db.version).toBe(DB_VERSION);
    expect(await db.getAll('outbox')).toEqual([fromJane, anonymous, againstBob]);
    expect(await db.getAllKeys('calls')).toEqual(['c1']);
    expect(await db.getAllKeys('contextCache')).toEqual(['phone:+442079460123']);
    expect(await db.get('outboxState', 'gate')).toEqual({ failures: 2, pauseUntil: 9 });
    expect(await db.get('wrapUpDrafts', 'c1')).toEqual({ callId: 'c1', notes: 'half written' });
    expect(await db.count('audit')).toBe(1);
    // Rows stored before the upgrade are found through the new indexes.
    expect(
      await db.getAllKeysFromIndex('outbox', 'byIdentity', ['phone', '+442079460123']),
    ).toEqual([fromJane.id]);
    expect(await db.getAllKeysFromIndex('outbox', 'byProfile', ['crm', 'bob'])).toEqual([
      againstBob.id,
    ]);
    // An event with no number or no profile is in neither index, and the upgrade kept it.
    expect(await db.countFromIndex('outbox', 'byIdentity')).toBe(2);
    expect(await db.countFromIndex('outbox', 'byProfile')).toBe(2);
    db.close();
  });

  it('creates the same stores and indexes new as by upgrading', async () => {
    const fresh = await openDatabase(new IDBFactory());
    const upgradedFactory = new IDBFactory();
    (await openVersion4(upgradedFactory)).close();
    const upgraded = await openDatabase(upgradedFactory);
    const shape = (db: typeof fresh) =>
      [...db.objectStoreNames].map((name) => {
        const store = db.transaction(name).objectStore(name);
        return { name, keyPath: store.keyPath, indexes: [...store.indexNames] };
      });
    expect(shape(upgraded)).toEqual(shape(fresh));
    expect(shape(fresh).find((s) => s.name === 'outbox')?.indexes).toEqual([
      'byIdentity',
      'byProfile',
      'byStatusAt',
    ]);
    expect(shape(fresh).find((s) => s.name === 'calls')?.indexes).toEqual([
      'byCallId',
      'byIdentity',
      'byRawNumber',
      'byRingingAt',
      'byState',
    ]);
    fresh.close();
    upgraded.close();
  });

  it('finds the calls stored before version 6 through the calls indexes', async () => {
    const factory = new IDBFactory();
    const old = await openVersion4(factory);
    const call = (id: string, extra: Record<string, unknown>) => ({
      id,
      rawNumber: '+44 20 7946 0123',
      identity: { namespace: 'phone', value: '+442079460123' },
      state: 'ended',
      ringingAt: `2026-11-21T09:5${id.slice(-1)}:00.000Z`,
      ...extra,
    });
    await old.put('calls', call('c1', { callId: 'connect-1' }));
    await old.put('calls', call('c2', { identity: null, rawNumber: 'withheld', state: 'ringing' }));
    await old.put('calls', call('c3', { state: 'wrapped_up' }));
    old.close();

    const db = await openDatabase(factory);
    const keys = (index: 'byState' | 'byCallId' | 'byIdentity' | 'byRawNumber', key: string[]) =>
      db.getAllKeysFromIndex('calls', index, IDBKeyRange.bound(key, [...key, []]));
    expect(await keys('byState', ['ended'])).toEqual(['c1']);
    expect(await keys('byState', ['ringing'])).toEqual(['c2']);
    expect(await keys('byCallId', ['connect-1'])).toEqual(['c1']);
    expect(await keys('byIdentity', ['phone', '+442079460123'])).toEqual(['c1', 'c3']);
    expect(await keys('byRawNumber', ['withheld'])).toEqual(['c2']);
    // A call without a call id, or without an identity, is not in that index.
    expect(await db.countFromIndex('calls', 'byCallId')).toBe(1);
    expect(await db.countFromIndex('calls', 'byIdentity')).toBe(2);
    db.close();
  });
});
