import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog } from './audit-log';
import { type Database, openDatabase } from './db';

let databases: Database[] = [];
afterEach(() => {
  for (const db of databases) db.close();
  databases = [];
});

async function freshDb(): Promise<Database> {
  const db = await openDatabase(new IDBFactory());
  databases.push(db);
  return db;
}

describe('audit log', () => {
  it('keeps who looked up which identity and when, newest first', async () => {
    let clock = new Date('2026-11-01T10:00:00Z');
    const log = createAuditLog({ db: freshDb(), now: () => clock });
    await log.record({
      who: 'ana@example.com',
      identity: 'phone:+447700900123',
      reason: 'call',
      callId: 'c1',
    });
    clock = new Date('2026-11-01T10:05:00Z');
    await log.record({ who: 'this browser', identity: 'phone:+442079460000', reason: 'test' });
    const entries = await log.list();
    expect(entries.map((e) => [e.at, e.who, e.identity, e.reason])).toEqual([
      ['2026-11-01T10:05:00.000Z', 'this browser', 'phone:+442079460000', 'test'],
      ['2026-11-01T10:00:00.000Z', 'ana@example.com', 'phone:+447700900123', 'call'],
    ]);
    expect(Object.keys(entries[1] ?? {}).sort()).toEqual([
      'at',
      'callId',
      'id',
      'identity',
      'reason',
      'who',
    ]);
  });

  it('forgets entries older than the age limit', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const log = createAuditLog({ db: freshDb(), now: () => clock, maxAgeDays: 90 });
    await log.record({ who: 'x', identity: 'phone:+1', reason: 'call' });
    clock = new Date('2026-03-01T00:00:00Z');
    await log.record({ who: 'x', identity: 'phone:+2', reason: 'call' });
    clock = new Date('2026-04-15T00:00:00Z');
    await log.record({ who: 'x', identity: 'phone:+3', reason: 'call' });
    expect((await log.list()).map((e) => e.identity)).toEqual(['phone:+3', 'phone:+2']);
  });

  it('keeps at most the newest entries allowed', async () => {
    let minute = 0;
    const log = createAuditLog({
      db: freshDb(),
      now: () => new Date(Date.UTC(2026, 0, 1, 0, minute++)),
      maxEntries: 3,
    });
    for (let i = 1; i <= 5; i++)
      await log.record({ who: 'x', identity: `phone:+${i}`, reason: 'call' });
    expect((await log.list()).map((e) => e.identity)).toEqual(['phone:+5', 'phone:+4', 'phone:+3']);
  });
});
