import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createContextService } from '../background/context-service';
import { openDatabase } from '../background/db';
import { resolveConfig } from '../shared/config';
import type { CallerContext } from '../shared/model';
import { percentile } from './stats';

export interface CachedLookupCost {
  lookups: number;
  medianUs: number;
  p99Us: number;
}

/**
 * The background's cost of a lookup answered from its cache: purge of expired entries, the
 * IndexedDB read, the TTL check. Runs the real context service on fake-indexeddb under Node, so
 * it measures our code and the storage round trips, not Chrome's IndexedDB (the warm screen pop,
 * which also hits the cache, measures that).
 */
export async function measureCachedLookup(lookups = 2000): Promise<CachedLookupCost> {
  const identity = { namespace: 'phone', value: '+442079460123' };
  const context: CallerContext = {
    identity,
    fetchedAt: new Date().toISOString(),
    errors: [],
    matches: [
      {
        profile: {
          id: 'p1',
          source: 'demo',
          displayName: 'Jane Doe',
          attributes: { tier: 'gold' },
        },
        activity: Array.from({ length: 20 }, (_, i) => ({
          id: `e${i}`,
          at: new Date(Date.now() - i * 60_000).toISOString(),
          type: 'page_view',
          title: `Page ${i}`,
          source: 'demo',
        })),
        cases: [{ id: 'c1', title: 'Cracked drip tray' }],
      },
    ],
  };
  const db = await openDatabase(new IDBFactory());
  let fetches = 0;
  const service = createContextService({
    db: Promise.resolve(db),
    config: {
      get: async () => resolveConfig({ agent: { cacheTtlSeconds: 3600 } }),
      refreshPolicy: async () => {},
    },
    fetchers: () => [
      {
        id: 'gateway',
        fetch: async () => {
          fetches += 1;
          return context;
        },
      },
    ],
  });
  await service.lookup(identity);
  const sample: number[] = [];
  for (let i = 0; i < lookups; i++) {
    const t0 = performance.now();
    await service.lookup(identity);
    sample.push((performance.now() - t0) * 1000);
  }
  db.close();
  if (fetches !== 1) throw new Error('the cache did not answer the lookups');
  const sorted = sample.sort((a, b) => a - b);
  return {
    lookups,
    medianUs: Math.round(percentile(sorted, 50)),
    p99Us: Math.round(percentile(sorted, 99)),
  };
}
