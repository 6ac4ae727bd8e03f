import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '../test-support/redis-server';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import type { Store, StreamCaps, StreamEntry } from './store';

/**
 * One behaviour, two stores: every case runs against the memory store and against a real
 * redis-server started for this file, so the demo and a scaled-out deployment agree.
 */
let redis: PrivateRedis;
let prefixCount = 0;

beforeAll(async () => {
  redis = await startPrivateRedis();
}, 30_000);

afterAll(async () => {
  await redis?.stop();
});

const CAPS: StreamCaps = { maxLength: 100, maxAgeMs: 60_000, maxBytes: 100_000 };

async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Kind {
  name: string;
  open(): Promise<Store>;
}

const kinds: Kind[] = [
  { name: 'memory', open: async () => new MemoryStore() },
  {
    name: 'redis',
    open: async () => {
      prefixCount += 1;
      const store = new RedisStore({ url: redis.url, prefix: `t${prefixCount}:` });
      await store.ready();
      return store;
    },
  },
];

describe.each(kinds)('$name store', (kind) => {
  const withStore = (run: (store: Store) => Promise<void>) => async () => {
    const store = await kind.open();
    try {
      await run(store);
    } finally {
      await store.close();
    }
  };

  it(
    'sets, gets and expires values; ifAbsent keeps the first',
    withStore(async (store) => {
      expect(await store.get('a')).toBeUndefined();
      expect(await store.set('a', '1')).toBe(true);
      expect(await store.set('a', '2', { ifAbsent: true })).toBe(false);
      expect(await store.get('a')).toBe('1');
      await store.set('short', 'x', { ttlMs: 150 });
      expect(await store.getMany(['a', 'short', 'none'])).toEqual(['1', 'x', undefined]);
      expect(
        await until(
          () => store.get('short'),
          (v) => v === undefined,
        ),
      ).toBeUndefined();
      await store.delete(['a']);
      expect(await store.get('a')).toBeUndefined();
    }),
  );

  it(
    'counts in a window that ends on time',
    withStore(async (store) => {
      expect(await store.increment('hits', { ttlMs: 200 })).toBe(1);
      expect(await store.increment('hits', { ttlMs: 200, by: 4 })).toBe(5);
      expect(
        await until(
          () => store.get('hits'),
          (v) => v === undefined,
        ),
      ).toBeUndefined();
      expect(await store.increment('hits', { ttlMs: 200 })).toBe(1);
    }),
  );

  it(
    'keeps hashes with an expiry for the whole hash',
    withStore(async (store) => {
      await store.hashSet('overrides', { 'phone:+1': 'marco', 'phone:+2': 'anna' });
      await store.hashDelete('overrides', ['phone:+2']);
      expect(await store.hashGetAll('overrides')).toEqual({ 'phone:+1': 'marco' });
      await store.hashSet('presence', { marco: 'available' }, { ttlMs: 150 });
      expect(await store.hashGetAll('presence')).toEqual({ marco: 'available' });
      expect(
        await until(
          () => store.hashGetAll('presence'),
          (v) => !v.marco,
        ),
      ).toEqual({});
    }),
  );

  it(
    'publishes to every subscriber until it unsubscribes',
    withStore(async (store) => {
      const heardA: string[] = [];
      const heardB: string[] = [];
      const a = await store.subscribe('notes', (m) => heardA.push(m));
      const b = await store.subscribe('notes', (m) => heardB.push(m));
      await store.publish('notes', 'one');
      await until(
        () => heardA.length + heardB.length,
        (n) => n === 2,
      );
      await a.unsubscribe();
      await store.publish('notes', 'two');
      await until(
        () => heardB.length,
        (n) => n === 2,
      );
      expect(heardA).toEqual(['one']);
      expect(heardB).toEqual(['one', 'two']);
      await b.unsubscribe();
    }),
  );

  it(
    'numbers stream entries in one order across streams and skips repeated dedupe ids',
    withStore(async (store) => {
      const first = await store.streamAppend('s:a', [{ value: 'a1', dedupeId: 'x' }], CAPS);
      const second = await store.streamAppend(
        's:b',
        [{ value: 'b1' }, { value: 'b2', dedupeId: 'x' }],
        CAPS,
      );
      const again = await store.streamAppend('s:a', [{ value: 'a1 again', dedupeId: 'x' }], CAPS);
      expect(again).toEqual([]);
      const ids = [...first, ...second].map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(3);
      const all = await store.streamRead(['s:a', 's:b']);
      expect(all.map((e) => e.value)).toEqual(['a1', 'b1', 'b2']);
      expect(all.map((e) => e.key)).toEqual(['s:a', 's:b', 's:b']);
      const after = await store.streamRead(['s:a', 's:b'], { after: first[0]?.id });
      expect(after.map((e) => e.value)).toEqual(['b1', 'b2']);
      expect((await store.streamRead(['s:a', 's:b'], { limit: 2 })).map((e) => e.value)).toEqual([
        'b1',
        'b2',
      ]);
      expect(Number(await store.streamHead())).toBe(Math.max(...ids));
    }),
  );

  it(
    'caps a stream by length and bytes, and forgets the dedupe ids of what it dropped',
    withStore(async (store) => {
      const caps = { maxLength: 3, maxAgeMs: 60_000, maxBytes: 10 };
      for (const value of ['aa', 'bb', 'cc', 'dd'])
        await store.streamAppend('s', [{ value, dedupeId: value }], caps);
      expect((await store.streamRead(['s'])).map((e) => e.value)).toEqual(['bb', 'cc', 'dd']);
      await store.streamAppend('s', [{ value: 'eeeeee' }], caps);
      // 2 + 2 + 6 = 10 bytes fit; 'bb' had to go.
      expect((await store.streamRead(['s'])).map((e) => e.value)).toEqual(['cc', 'dd', 'eeeeee']);
      const back = await store.streamAppend('s', [{ value: 'aa', dedupeId: 'aa' }], caps);
      expect(back).toHaveLength(1);
      const tooBig = await store.streamAppend('s', [{ value: 'x'.repeat(11) }], caps);
      expect(tooBig).toEqual([]);
    }),
  );

  it(
    'drops entries older than the age cap',
    withStore(async (store) => {
      const caps = { maxLength: 10, maxAgeMs: 150, maxBytes: 1000 };
      await store.streamAppend('s', [{ value: 'old' }], caps);
      await sleep(250);
      await store.streamAppend('s', [{ value: 'new' }], caps);
      expect((await store.streamRead(['s'])).map((e) => e.value)).toEqual(['new']);
      await sleep(250);
      expect(await store.streamRead(['s'])).toEqual([]);
    }),
  );

  it(
    'keeps a group of streams within its byte budget, dropping the least recently appended',
    withStore(async (store) => {
      const caps = { ...CAPS, budget: { group: 'live', maxBytes: 25 } };
      for (const key of ['one', 'two', 'three'])
        await store.streamAppend(key, [{ value: '0123456789' }], caps);
      expect(await store.streamRead(['one'])).toEqual([]);
      expect(await store.streamRead(['two', 'three'])).toHaveLength(2);
      await store.streamAppend('two', [{ value: 'more' }], caps);
      expect(await store.streamRead(['two', 'three'])).toHaveLength(3);
      await store.streamAppend('four', [{ value: '0123456789' }], caps);
      expect(await store.streamRead(['three'])).toEqual([]);
      expect(await store.streamRead(['two', 'four'])).toHaveLength(3);
    }),
  );

  it(
    'follows streams live, and replays what a follower missed after its last id',
    withStore(async (store) => {
      const [first] = await store.streamAppend('f:a', [{ value: 'before 1' }], CAPS);
      await store.streamAppend('f:b', [{ value: 'before 2' }], CAPS);
      const heard: StreamEntry[] = [];
      const follow = await store.followStreams(['f:a', 'f:b'], { after: first?.id }, (e) =>
        heard.push(e),
      );
      await store.streamAppend('f:a', [{ value: 'live 1' }], CAPS);
      await store.streamAppend('f:other', [{ value: 'not followed' }], CAPS);
      await store.streamAppend('f:b', [{ value: 'live 2' }], CAPS);
      await until(
        () => heard.length,
        (n) => n >= 3,
      );
      await sleep(50);
      expect(heard.map((e) => e.value)).toEqual(['before 2', 'live 1', 'live 2']);
      await follow.unsubscribe();
      await store.streamAppend('f:a', [{ value: 'after' }], CAPS);
      await sleep(50);
      expect(heard).toHaveLength(3);

      const fresh: string[] = [];
      const live = await store.followStreams(['f:a'], {}, (e) => fresh.push(e.value));
      await store.streamAppend('f:a', [{ value: 'only this' }], CAPS);
      await until(
        () => fresh.length,
        (n) => n === 1,
      );
      expect(fresh).toEqual(['only this']);
      await live.unsubscribe();
    }),
  );

  it(
    'stores once and queues in the same step',
    withStore(async (store) => {
      const enqueue = { queue: 'deliveries', jobs: [{ id: 'e1/sink', payload: 'p' }] };
      expect(await store.putIfAbsent('ledger:e1', '{}', { ttlMs: 60_000, enqueue })).toBe(true);
      expect(await store.putIfAbsent('ledger:e1', '{}', { ttlMs: 60_000, enqueue })).toBe(false);
      expect(await store.queue('deliveries').counts()).toEqual({ queued: 1, dead: 0 });
      expect(await store.get('ledger:e1')).toBe('{}');
    }),
  );

  it(
    'leases jobs: one claimer at a time, a lost lease cannot complete, an expired lease is claimed again',
    withStore(async (store) => {
      const queue = store.queue('q');
      expect(await queue.add([{ id: 'j1', payload: 'one' }])).toBe(1);
      expect(await queue.add([{ id: 'j1', payload: 'one again' }])).toBe(0);
      const [job] = await queue.claim({ max: 10, leaseMs: 200 });
      expect(job).toMatchObject({ id: 'j1', payload: 'one', attempts: 1 });
      expect(await queue.claim({ max: 10, leaseMs: 200 })).toEqual([]);
      const [again] = await until(
        () => queue.claim({ max: 10, leaseMs: 10_000 }),
        (jobs) => jobs.length > 0,
      );
      expect(again).toMatchObject({ id: 'j1', attempts: 2 });
      expect(await queue.complete(job as NonNullable<typeof job>)).toBe(false);
      const record = { key: 'delivered:j1', field: 'sink', value: 'at', ttlMs: 60_000 };
      expect(await queue.complete(again as NonNullable<typeof again>, record)).toBe(true);
      expect(await store.hashGetAll('delivered:j1')).toEqual({ sink: 'at' });
      expect(await queue.counts()).toEqual({ queued: 0, dead: 0 });
      expect(await queue.nextDueInMs()).toBeUndefined();
    }),
  );

  it(
    'retries after a delay, buries to the dead-letter list and replays from it',
    withStore(async (store) => {
      const queue = store.queue('q');
      await queue.add([{ id: 'j', payload: 'p' }]);
      const [first] = await queue.claim({ max: 1, leaseMs: 10_000 });
      if (!first) throw new Error('nothing claimed');
      expect(await queue.retry(first, 150)).toBe(true);
      expect(await queue.claim({ max: 1, leaseMs: 10_000 })).toEqual([]);
      expect(await queue.nextDueInMs()).toBeGreaterThan(0);
      const [second] = await until(
        () => queue.claim({ max: 1, leaseMs: 10_000 }),
        (jobs) => jobs.length > 0,
      );
      if (!second) throw new Error('not claimed after the delay');
      expect(await queue.bury(second, 'sink said 400')).toBe(true);
      expect(await queue.counts()).toEqual({ queued: 0, dead: 1 });
      const [dead] = await queue.dead();
      expect(dead).toMatchObject({ id: 'j', payload: 'p', attempts: 2, reason: 'sink said 400' });
      expect(await queue.add([{ id: 'j', payload: 'p' }])).toBe(0);
      expect(await queue.replay()).toBe(1);
      const [third] = await queue.claim({ max: 1, leaseMs: 10_000 });
      expect(third).toMatchObject({ id: 'j', attempts: 1 });
    }),
  );
});

describe('RedisStore when Redis goes away', () => {
  it('fails fast with StoreUnavailableError, reports it, and recovers without a restart', async () => {
    const own = await startPrivateRedis();
    const problems: string[] = [];
    const store = new RedisStore({ url: own.url, onProblem: (p) => problems.push(p) });
    try {
      await store.ready();
      let lost = 0;
      store.onSubscriptionsLost(() => {
        lost += 1;
      });
      await store.set('k', 'v');
      await own.kill();
      await expect(store.get('k')).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      expect((await store.check()).ok).toBe(false);
      expect(
        await until(
          () => lost,
          (n) => n > 0,
        ),
      ).toBe(1);
      await own.start();
      const health = await until(
        () => store.check(),
        (h) => h.ok,
      );
      expect(health.ok).toBe(true);
      // Data went with the process (no persistence here); the store works again all the same.
      expect(await store.set('k', 'again')).toBe(true);
      expect(problems.join('\n')).not.toContain(own.url);
    } finally {
      await store.close();
      await own.stop();
    }
  }, 60_000);

  it('answers StoreUnavailableError when Redis is stuck instead of hanging', async () => {
    const own = await startPrivateRedis();
    const store = new RedisStore({ url: own.url, commandTimeoutMs: 200 });
    try {
      await store.ready();
      own.pause();
      await expect(store.get('k')).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      // Once one command timed out, the next fail at once for a moment instead of waiting too.
      await expect(store.get('k')).rejects.toThrow('it failed a moment ago');
      own.resume();
      const health = await until(
        () => store.check(),
        (h) => h.ok,
      );
      expect(health.ok).toBe(true);
    } finally {
      own.resume();
      await store.close();
      await own.stop();
    }
  }, 60_000);
});
