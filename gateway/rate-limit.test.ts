import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit';
import { MemoryStore } from './store/memory-store';
import type { Store } from './store/store';

const status = (promise: Promise<void>) =>
  promise.then(
    () => 200,
    (error: { status?: number }) => error.status ?? 500,
  );

describe('RateLimiter', () => {
  it('counts exactly on one replica, refusing with 429 and Retry-After past the limit', async () => {
    const limiter = new RateLimiter(new MemoryStore(), () => 90_000);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push(await status(limiter.take('b', 'who', 3)));
    expect(statuses).toEqual([200, 200, 200, 429]);
    await expect(limiter.take('b', 'who', 3)).rejects.toMatchObject({
      headers: { 'Retry-After': '30' },
    });
    // Another caller has a count of its own.
    expect(await status(limiter.take('b', 'someone else', 3))).toBe(200);
    await limiter.close();
  });

  it('shares the count between replicas through the store', async () => {
    const store = new MemoryStore();
    const a = new RateLimiter(store, () => 1000);
    const b = new RateLimiter(store, () => 1000);
    for (let i = 0; i < 3; i += 1) await a.take('b', 'who', 5);
    await a.flush();
    await b.take('b', 'who', 5);
    await b.flush();
    // B now knows the 4 taken between them: one more, then no more.
    expect(await status(b.take('b', 'who', 5))).toBe(200);
    expect(await status(b.take('b', 'who', 5))).toBe(429);
  });

  it('starts a new count each minute', async () => {
    let now = 0;
    const limiter = new RateLimiter(new MemoryStore(), () => now);
    await limiter.take('b', 'who', 1);
    expect(await status(limiter.take('b', 'who', 1))).toBe(429);
    now = 60_000;
    expect(await status(limiter.take('b', 'who', 1))).toBe(200);
  });

  it('keeps counting alone when the store is down', async () => {
    const down = new MemoryStore();
    const failing: Store = Object.assign(Object.create(down) as Store, {
      increment: async () => {
        throw new Error('the store is unavailable');
      },
    });
    const limiter = new RateLimiter(failing, () => 0);
    await limiter.take('b', 'who', 2);
    await limiter.flush();
    await limiter.take('b', 'who', 2);
    expect(await status(limiter.take('b', 'who', 2))).toBe(429);
  });
});
