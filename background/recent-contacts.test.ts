import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AfterCallEvent } from '../shared/after-call';
import type { CallSession } from '../shared/call';
import { resolveConfig } from '../shared/config';
import type { CallerContext, ContactEvent, Match } from '../shared/model';
import { createCallState } from './call-state';
import { createCallerService } from './caller-service';
import { mergeMatches } from './context-merge';
import type { ContextService } from './context-service';
import { type Database, openDatabase } from './db';
import { createOutbox } from './outbox';
import { LOCAL_HISTORY_MS, withRecentContacts } from './recent-contacts';

const NOW = new Date('2026-11-21T10:00:00.000Z');

function logged(n: number, overrides: Partial<AfterCallEvent> = {}): AfterCallEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type: 'call.logged',
    callId: `call-${n}`,
    identity: { namespace: 'phone', value: '+442079460123' },
    rawNumber: '+44 20 7946 0123',
    profile: { id: 'jane', source: 'demo', name: 'Jane Doe' },
    disposition: { code: 'resolved', label: 'Resolved' },
    notes: 'Sent a replacement drip tray',
    ringingAt: '2026-11-21T09:50:00.000Z',
    connectedAt: '2026-11-21T09:50:05.000Z',
    endedAt: '2026-11-21T09:54:05.000Z',
    talkSeconds: 240,
    loggedAt: '2026-11-21T09:55:00.000Z',
    ...overrides,
  };
}

function jane(extra: Partial<Match> = {}): Match {
  return {
    profile: { id: 'jane', source: 'demo', displayName: 'Jane Doe', attributes: {} },
    activity: [],
    cases: [],
    ...extra,
  };
}

function contextOf(...matches: Match[]): CallerContext {
  return {
    identity: { namespace: 'phone', value: '+442079460123' },
    matches,
    fetchedAt: NOW.toISOString(),
    errors: [],
  };
}

let db: Database;
let clock: number;

async function log(event: AfterCallEvent) {
  const box = createOutbox({
    db,
    gateway: async () => ({ gatewayUrl: 'http://127.0.0.1:1', gatewayToken: 't' }),
    now: () => clock,
    wake: () => {},
  });
  await box.add(event);
}

beforeEach(async () => {
  db = await openDatabase(new IDBFactory());
  clock = NOW.getTime();
});
afterEach(() => db.close());

describe('recent contacts from this browser', () => {
  it('shows a call logged a minute ago, before any platform has it', async () => {
    await log(logged(1));
    const shown = await withRecentContacts(Promise.resolve(contextOf(jane())), db, NOW);
    expect(shown.matches[0]?.contacts).toEqual([
      expect.objectContaining({
        id: logged(1).id,
        channel: 'call',
        disposition: 'Resolved',
        note: 'Sent a replacement drip tray',
        local: true,
      }),
    ]);
  });

  it('keeps the platform copy of a call it has already ingested, once', async () => {
    await log(logged(1));
    const fromCrm: ContactEvent = {
      id: logged(1).id,
      at: '2026-11-21T09:54:05.000Z',
      channel: 'call',
      disposition: 'Resolved',
      source: 'demo',
      url: 'https://crm.example.com/calls/1',
    };
    const shown = await withRecentContacts(
      Promise.resolve(contextOf(jane({ contacts: [fromCrm] }))),
      db,
      NOW,
    );
    expect(shown.matches[0]?.contacts).toEqual([fromCrm]);
  });

  it('leaves out calls logged longer ago than the outbox keeps them', async () => {
    clock = NOW.getTime() - LOCAL_HISTORY_MS - 1;
    await log(logged(1));
    const shown = await withRecentContacts(Promise.resolve(contextOf(jane())), db, NOW);
    expect(shown.matches[0]?.contacts).toBeUndefined();
  });

  it('counts, never shows, the history of a customer who denied personalisation', async () => {
    await log(logged(1));
    const denied = jane({
      profile: {
        id: 'jane',
        source: 'demo',
        attributes: {},
        consent: { personalisation: 'denied' },
      },
    });
    const shown = await withRecentContacts(Promise.resolve(contextOf(denied)), db, NOW);
    expect(shown.matches[0]?.contacts).toBeUndefined();
    expect(shown.matches[0]?.withheldContacts).toBe(1);
  });

  it('finds calls by the number they came from and by the record they were logged against', async () => {
    // From another number, logged against Jane's record in the CRM that her match merged in.
    await log(
      logged(1, {
        identity: { namespace: 'phone', value: '+14155550132' },
        profile: { id: 'jane-crm', source: 'crm' },
      }),
    );
    // From Jane's number, logged against no record.
    await log(logged(2, { profile: null }));
    // From Jane's number, logged against a record none of the matches holds.
    await log(logged(3, { profile: { id: 'someone-else', source: 'crm' } }));
    // Another customer's call entirely, and one whose number could not be read.
    await log(
      logged(4, {
        identity: { namespace: 'phone', value: '+33612345678' },
        profile: { id: 'pierre', source: 'demo' },
      }),
    );
    await log(logged(5, { identity: null, rawNumber: 'withheld', profile: null }));
    const merged = jane({
      profile: {
        id: 'jane',
        source: 'demo',
        attributes: {},
        alsoIn: [{ id: 'jane-crm', source: 'crm' }],
      },
    });
    const shown = await withRecentContacts(Promise.resolve(contextOf(merged)), db, NOW);
    expect(shown.matches[0]?.contacts?.map((c) => c.id).sort()).toEqual(
      [logged(1).id, logged(2).id, logged(3).id].sort(),
    );
  });

  it('leaves a lookup without matches as it was', async () => {
    await log(logged(1));
    const none = contextOf();
    expect(await withRecentContacts(Promise.resolve(none), db, NOW)).toEqual(none);
  });

  it('joins the contact histories of merged sources, one call once', () => {
    const call: ContactEvent = {
      id: 'ev-1',
      at: '2026-11-20T10:00:00.000Z',
      channel: 'call',
      source: 'crm',
    };
    const email: ContactEvent = {
      ...call,
      id: 'em-1',
      channel: 'email',
      at: '2026-11-19T10:00:00.000Z',
    };
    const [merged] = mergeMatches([
      jane({ contacts: [call] }),
      {
        profile: { id: 'jane', source: 'crm', attributes: {} },
        activity: [],
        cases: [],
        contacts: [{ ...call, source: 'aep' }, email],
      },
    ]);
    expect(merged?.contacts?.map((c) => c.id)).toEqual(['ev-1', 'em-1']);
  });

  it("puts a logged call into the next call's lookup, through the caller service", async () => {
    await log(logged(1));
    const broadcasts: (CallSession | null)[] = [];
    const contextService = {
      lookup: async () => contextOf(jane()),
      purgeExpired: async () => {},
      clear: async () => {},
    } satisfies ContextService;
    const service = createCallerService({
      db: Promise.resolve(db),
      config: { get: async () => resolveConfig({ agent: {} }), refreshPolicy: async () => {} },
      calls: createCallState({
        db: Promise.resolve(db),
        broadcast: (session) => broadcasts.push(session),
        follow: () => {},
        now: () => NOW,
      }),
      contextService,
      now: () => NOW,
    });
    await service.reportCaller(
      { raw: '+44 20 7946 0123', state: 'ringing', detector: 'demo-softphone' },
      3,
    );
    await vi.waitFor(() => expect(broadcasts.at(-1)?.lookup.status).toBe('done'));
    const lookup = broadcasts.at(-1)?.lookup;
    expect(lookup?.status === 'done' && lookup.context.matches[0]?.contacts?.[0]?.id).toBe(
      logged(1).id,
    );
  });
});
