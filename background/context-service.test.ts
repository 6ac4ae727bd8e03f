import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../shared/config';
import { RateLimitedError } from '../shared/connectors/http';
import type { CallerContext, Identity, Match } from '../shared/model';
import type { ConfigStore } from './config-store';
import { type ContextFetcher, createContextService } from './context-service';
import { type Database, openDatabase } from './db';
import { GatewayError } from './gateway-client';

const jane: Identity = { namespace: 'phone', value: '+442079460123' };
let connections: Database[] = [];
afterEach(() => {
  for (const db of connections) db.close();
  connections = [];
});

/** A promise the test settles (Promise.withResolvers is Node 22+). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function match(source: string, id: string, extra: Partial<Match['profile']> = {}): Match {
  return { profile: { id, source, attributes: {}, ...extra }, activity: [], cases: [] };
}

function answer(matches: Match[], fetchedAt = '2026-11-21T12:00:00.000Z'): CallerContext {
  return { identity: jane, matches, fetchedAt, errors: [] };
}

/** A back end whose answers the test scripts, counting calls. */
function backEnd(
  id: string,
  respond: (call: number, signal: AbortSignal) => Promise<CallerContext>,
) {
  let calls = 0;
  const fetcher: ContextFetcher = { id, fetch: (_identity, signal) => respond(++calls, signal) };
  return { fetcher, calls: () => calls };
}

function setup(
  fetchers: ContextFetcher[],
  options: { ttl?: number; timeoutMs?: number; clock?: { now: number } } = {},
) {
  const clock = options.clock ?? { now: Date.parse('2026-11-21T12:00:05Z') };
  const db = openDatabase(new IDBFactory()).then((d) => {
    connections.push(d);
    return d;
  });
  const config: ConfigStore = {
    get: async () => resolveConfig({ agent: { cacheTtlSeconds: options.ttl ?? 60 } }),
    refreshPolicy: async () => {},
  };
  const sleeps: number[] = [];
  const service = createContextService({
    db,
    config,
    fetchers: () => fetchers,
    now: () => new Date(clock.now),
    timeoutMs: options.timeoutMs ?? 5000,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
  });
  return { service, db, clock, sleeps };
}

describe('context service', () => {
  it('asks every back end at once and merges the same person found in two of them', async () => {
    let started = 0;
    const both = deferred();
    const gateway = backEnd('gateway', async () => {
      started += 1;
      if (started === 2) both.resolve();
      await both.promise;
      return answer([match('aep', 'A1', { firstName: 'Jane', emails: ['jane@example.com'] })]);
    });
    const crm = backEnd('dynamics', async () => {
      started += 1;
      if (started === 2) both.resolve();
      await both.promise;
      return answer(
        [
          {
            ...match('dynamics', 'C9', {
              displayName: 'Jane Doe',
              emails: ['JANE@example.com'],
              url: 'https://crm.example.com/c9',
            }),
            cases: [{ id: 'case-1', title: 'Cracked drip tray' }],
          },
          match('dynamics', 'C10', { displayName: 'Someone Else' }),
        ],
        '2026-11-21T11:59:59.000Z',
      );
    });
    const { service } = setup([gateway.fetcher, crm.fetcher]);
    const context = await service.lookup(jane);
    expect(context.matches.map((m) => m.profile.firstName ?? m.profile.displayName)).toEqual([
      'Jane',
      'Someone Else',
    ]);
    expect(context.matches[0]?.profile).toMatchObject({
      id: 'A1',
      source: 'aep',
      displayName: 'Jane Doe',
      url: 'https://crm.example.com/c9',
      alsoIn: [{ source: 'dynamics', id: 'C9' }],
    });
    expect(context.matches[0]?.cases.map((c) => c.title)).toEqual(['Cracked drip tray']);
    expect(context.fetchedAt).toBe('2026-11-21T11:59:59.000Z');
  });

  it("keeps one back end's failure in errors without hiding the other's answer", async () => {
    const gateway = backEnd('gateway', async () => answer([match('demo', 'p1')]));
    const crm = backEnd('dynamics', async () => {
      throw new Error('Dynamics 365 answered 503');
    });
    const { service } = setup([gateway.fetcher, crm.fetcher]);
    const context = await service.lookup(jane);
    expect(context.matches).toHaveLength(1);
    expect(context.errors).toEqual([{ source: 'dynamics', message: 'Dynamics 365 answered 503' }]);
  });

  it('fails with the first back end message only when every back end failed', async () => {
    const gateway = backEnd('gateway', async () => {
      throw new GatewayError('Cannot reach the gateway at https://gw.example.com.');
    });
    const { service } = setup([gateway.fetcher]);
    await expect(service.lookup(jane)).rejects.toThrow('Cannot reach the gateway');
  });

  it('answers from the cache within the TTL, and asks again once it expired', async () => {
    const gateway = backEnd('gateway', async () => answer([match('demo', 'p1')]));
    const { service, clock, db } = setup([gateway.fetcher], { ttl: 30 });
    await service.lookup(jane);
    await service.lookup(jane);
    expect(gateway.calls()).toBe(1);
    clock.now += 31_000;
    await service.lookup(jane);
    expect(gateway.calls()).toBe(2);
    clock.now += 31_000;
    await service.purgeExpired();
    expect(await (await db).count('contextCache')).toBe(0);
  });

  it('deletes every expired context on a lookup, not only the caller looked up', async () => {
    const gateway = backEnd('gateway', async () => answer([match('demo', 'p1')]));
    const { service, clock, db } = setup([gateway.fetcher], { ttl: 30 });
    const bob: Identity = { namespace: 'phone', value: '+14155550132' };
    await service.lookup(bob);
    clock.now += 20_000;
    await service.lookup(jane);
    clock.now += 11_000;
    // Bob's context expired a second ago; Jane's has 19 s to go and answers from the cache.
    await service.lookup(jane);
    expect(gateway.calls()).toBe(2);
    expect(await (await db).getAllKeys('contextCache')).toEqual(['phone:+442079460123']);
  });

  it('keeps nothing with a TTL of 0, nothing partial, and nothing after clear()', async () => {
    const gateway = backEnd('gateway', async () => answer([match('demo', 'p1')]));
    const off = setup([gateway.fetcher], { ttl: 0 });
    await off.service.lookup(jane);
    expect(await (await off.db).count('contextCache')).toBe(0);

    const failing = backEnd('dynamics', async () => {
      throw new Error('down');
    });
    const partial = setup([gateway.fetcher, failing.fetcher]);
    await partial.service.lookup(jane);
    expect(await (await partial.db).count('contextCache')).toBe(0);

    const on = setup([gateway.fetcher]);
    await on.service.lookup(jane);
    expect(await (await on.db).count('contextCache')).toBe(1);
    await on.service.clear();
    expect(await (await on.db).count('contextCache')).toBe(0);
  });

  it('shares one request between concurrent lookups of the same identity', async () => {
    const release = deferred();
    const gateway = backEnd('gateway', async () => {
      await release.promise;
      return answer([match('demo', 'p1')]);
    });
    const { service } = setup([gateway.fetcher], { ttl: 0 });
    const lookups = [service.lookup(jane), service.lookup(jane), service.lookup(jane)];
    release.resolve();
    const [a, b, c] = await Promise.all(lookups);
    expect(gateway.calls()).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it('honours Retry-After on 429, then backs off exponentially when none is given', async () => {
    const gateway = backEnd('gateway', async (call) => {
      if (call === 1) throw new GatewayError('busy', 1500, true);
      return answer([match('demo', 'p1')]);
    });
    const crm = backEnd('dynamics', async (call) => {
      if (call < 3) throw new RateLimitedError('Dynamics 365', undefined);
      return answer([match('dynamics', 'c1')]);
    });
    const { service, sleeps } = setup([gateway.fetcher, crm.fetcher]);
    const context = await service.lookup(jane);
    expect(context.errors).toEqual([]);
    expect(sleeps.sort((x, y) => x - y)).toEqual([250, 500, 1500]);
  });

  it('gives up on 429 when Retry-After is past the deadline, and reports it', async () => {
    const crm = backEnd('dynamics', async () => {
      throw new RateLimitedError('Dynamics 365', 60_000);
    });
    const gateway = backEnd('gateway', async () => answer([match('demo', 'p1')]));
    const { service, sleeps } = setup([gateway.fetcher, crm.fetcher], { timeoutMs: 5000 });
    const context = await service.lookup(jane);
    expect(sleeps).toEqual([]);
    expect(context.errors).toEqual([
      { source: 'dynamics', message: 'Dynamics 365 is rate limiting us (retry after 60 s)' },
    ]);
  });

  it('does not let a back end that hangs hold the others past its deadline', async () => {
    const hangs = backEnd('dynamics', () => new Promise<CallerContext>(() => {}));
    const gateway = backEnd('gateway', async () => answer([match('demo', 'p1')]));
    const { service } = setup([gateway.fetcher, hangs.fetcher], { timeoutMs: 50 });
    const context = await service.lookup(jane);
    expect(context.matches).toHaveLength(1);
    expect(context.errors).toEqual([
      { source: 'dynamics', message: 'did not answer within 0.05 s' },
    ]);
  });
});
