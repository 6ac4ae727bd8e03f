import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../shared/config';
import type { ActivityEvent, CallerContext, Match } from '../shared/model';
import { createCallSessions } from './call-sessions';
import type { ConfigStore } from './config-store';
import { type Database, openDatabase } from './db';
import { ACTIVITY_OVERLAP_MS, createLiveActivity } from './live-activity';

const NOW = new Date('2025-03-01T10:00:00.000Z');

function event(id: string, at: string, title = id): ActivityEvent {
  return { id, at, type: 'page_view', title, source: 'collect' };
}

function match(
  activity: ActivityEvent[],
  personalisation: 'granted' | 'denied' = 'granted',
): Match {
  return {
    profile: {
      id: 'p-1',
      source: 'demo',
      displayName: 'Jane Doe',
      attributes: {},
      consent: { personalisation },
    },
    activity,
    cases: [],
  };
}

const connections: Database[] = [];
afterEach(() => {
  for (const db of connections.splice(0)) db.close();
});

/** A ringing call with one match; `answers` are what the gateway returns, one per check. */
async function liveCall(known: Match | Match[], answers: ActivityEvent[][]) {
  const db = await openDatabase(new IDBFactory());
  connections.push(db);
  const store = createCallSessions({ db, now: () => NOW });
  const sighted = await store.sight(
    { raw: '+44 20 7946 0123', state: 'ringing', detector: 'demo-softphone' },
    3,
    'GB',
  );
  if (!sighted) throw new Error('no call');
  const context: CallerContext = {
    identity: { namespace: 'phone', value: '+442079460123' },
    fetchedAt: '2025-03-01T09:59:59.000Z',
    errors: [],
    matches: Array.isArray(known) ? known : [known],
  };
  await store.setLookup(sighted.session.id, { status: 'done', context });
  const config: ConfigStore = {
    get: async () => resolveConfig({ agent: { gatewayUrl: 'https://gw.example.com' } }),
    refreshPolicy: async () => {},
  };
  const asked: string[] = [];
  const identities: string[] = [];
  const live = createLiveActivity({
    sessions: Promise.resolve(store),
    config,
    now: () => NOW,
    fetch: async (url) => {
      asked.push(new URL(url).searchParams.get('since') ?? '');
      identities.push(new URL(url).searchParams.get('identity') ?? '');
      return new Response(JSON.stringify({ events: answers.shift() ?? [] }));
    },
  });
  const activity = async () => {
    const session = await live.refresh(sighted.session.id);
    return session?.lookup.status === 'done' ? session.lookup.context.matches[0] : undefined;
  };
  const streamed = async (events: ActivityEvent[]) => {
    const session = await live.addStreamed(sighted.session.id, events);
    return session?.lookup.status === 'done' ? session.lookup.context.matches[0] : undefined;
  };
  return { activity, asked, identities, streamed, live, store, callId: sighted.session.id };
}

describe('live activity', () => {
  it('asks again a little before the newest event, so a late or same-time event is not lost', async () => {
    const newest = event('e-2', '2025-03-01T09:58:00.000Z');
    const { activity, asked } = await liveCall(
      match([newest, event('e-1', '2025-03-01T09:57:00.000Z')]),
      [
        // The gateway repeats what we hold, plus one stamped the same millisecond and one sent late.
        [newest, event('e-3', newest.at), event('e-4', '2025-03-01T09:57:30.000Z')],
      ],
    );
    const after = await activity();
    expect(asked).toEqual([new Date(Date.parse(newest.at) - ACTIVITY_OVERLAP_MS).toISOString()]);
    expect(after?.activity.map((e) => e.id).sort()).toEqual(['e-1', 'e-2', 'e-3', 'e-4']);
  });

  it('keeps each event once however often the overlap repeats it', async () => {
    const first = event('e-1', '2025-03-01T09:58:00.000Z');
    const second = event('e-2', '2025-03-01T09:59:00.000Z');
    const { activity } = await liveCall(match([first]), [
      [first, second],
      [first, second],
      [second],
    ]);
    await activity();
    await activity();
    const after = await activity();
    expect(after?.activity.map((e) => e.id)).toEqual(['e-2', 'e-1']);
  });

  it('without personalisation consent counts each withheld event once: no overlap there', async () => {
    const { activity, asked } = await liveCall(match([], 'denied'), [
      [event('e-1', '2025-03-01T09:59:59.500Z')],
      [event('e-2', '2025-03-01T10:00:00.000Z')],
    ]);
    await activity();
    const after = await activity();
    expect(asked[0]).toBe('2025-03-01T09:59:59.000Z');
    expect(after?.activity).toEqual([]);
    expect(after?.withheldActivity).toBe(2);
  });

  it('adds streamed events beside polled ones, each once, whichever comes first', async () => {
    const polled = event('e-1', '2025-03-01T09:58:00.000Z');
    const pushed = event('e-2', '2025-03-01T09:59:00.000Z');
    const { activity, streamed, asked } = await liveCall(match([]), [[polled, pushed]]);
    expect((await streamed([pushed]))?.activity.map((e) => e.id)).toEqual(['e-2']);
    expect((await activity())?.activity.map((e) => e.id)).toEqual(['e-2', 'e-1']);
    expect(asked).toHaveLength(1);
  });

  it('streams nothing for a customer who denied personalisation: the polls only count', async () => {
    const { streamed, live, callId } = await liveCall(match([], 'denied'), []);
    expect(await live.streamTarget(callId)).toBeNull();
    expect(await streamed([event('e-1', '2025-03-01T09:59:00.000Z')])).toBeUndefined();
  });

  it("a shared number: nothing until the agent picks, then the picked customer's own activity", async () => {
    const tom = {
      ...match([]),
      profile: { ...match([]).profile, id: 'tom', emails: ['Tom@Example.com'] },
    };
    const tessa = {
      ...match([]),
      profile: { ...match([]).profile, id: 'tessa', emails: ['tessa@example.com'] },
    };
    const { live, store, callId, identities } = await liveCall(
      [tom, tessa],
      [[event('e-1', '2025-03-01T09:59:00.000Z')]],
    );
    expect(await live.refresh(callId)).toBeNull();
    expect(await live.streamTarget(callId)).toBeNull();
    expect(identities).toEqual([]);
    // A pick of someone the lookup did not find is not kept.
    expect(await store.pickMatch(callId, 'stranger')).toBeUndefined();
    expect((await store.pickMatch(callId, 'tessa'))?.pickedProfileId).toBe('tessa');
    expect(await live.streamTarget(callId)).toEqual({
      identity: { namespace: 'email', value: 'tessa@example.com' },
    });
    const after = await live.refresh(callId);
    expect(identities).toEqual(['email:tessa@example.com']);
    const matches = after?.lookup.status === 'done' ? after.lookup.context.matches : [];
    expect(matches.map((m) => [m.profile.id, m.activity.map((e) => e.id)])).toEqual([
      ['tom', []],
      ['tessa', ['e-1']],
    ]);
  });

  it('a shared number whose picked customer has no email: nothing can be theirs alone', async () => {
    const tom = {
      ...match([]),
      profile: { ...match([]).profile, id: 'tom', emails: ['tom@example.com'] },
    };
    const nameless = { ...match([]), profile: { ...match([]).profile, id: 'nameless' } };
    const { live, store, callId, identities } = await liveCall([tom, nameless], []);
    await store.pickMatch(callId, 'nameless');
    expect(await live.refresh(callId)).toBeNull();
    expect(identities).toEqual([]);
  });
});
