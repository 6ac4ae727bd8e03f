import type { Context } from 'hono';
import { ApiError } from './http-errors';
import type { Store } from './store/store';

const WINDOW_MS = 60_000;
/** How often a replica adds what it counted to the store's shared count (per counter). */
const SYNC_MS = 50;

interface Counter {
  window: number;
  /** The count every replica together reached, as the store last said. */
  shared: number;
  /** Counted here since, not yet added to the store. */
  unsynced: number;
  /** The next addition to the store, while one is due. */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The addition under way. */
  syncing: Promise<void> | undefined;
}

/**
 * Fixed one-minute windows, counted across replicas in the store. Each replica decides at once
 * from the shared count the store last gave plus what it counted since, and adds its own count
 * to the store every 50 ms: one store round trip per counter and 50 ms instead of one per
 * request. Several replicas together may overshoot a limit by what they take in those 50 ms;
 * one replica alone counts exactly. When the store cannot count (Redis down), each replica goes
 * on counting alone: lookups keep working, still limited, instead of failing open or closed.
 */
export class RateLimiter {
  readonly #store: Store;
  readonly #now: () => number;
  readonly #counters = new Map<string, Counter>();
  #window = 0;

  constructor(store: Store, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /**
   * Counts one request of `who` in `bucket`; throws a 429 with `Retry-After` past
   * `perMinute` (0: no limit). A refused request is not counted.
   */
  async take(bucket: string, who: string, perMinute: number): Promise<void> {
    if (perMinute <= 0) return;
    const now = this.#now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.#window) this.#forgetBefore(window);
    const key = `rate:${bucket}:${who}:${window}`;
    let counter = this.#counters.get(key);
    if (!counter) {
      counter = { window, shared: 0, unsynced: 0, timer: undefined, syncing: undefined };
      this.#counters.set(key, counter);
    }
    if (counter.shared + counter.unsynced >= perMinute) {
      const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
      throw new ApiError(429, 'rate_limited', `too many requests; try again in ${retryAfter} s`, {
        'Retry-After': String(retryAfter),
      });
    }
    counter.unsynced += 1;
    if (!counter.timer && !counter.syncing) this.#scheduleSync(key, counter);
  }

  /** Adds every unsynced count to the store now (tests, shutdown). */
  async flush(): Promise<void> {
    await Promise.all(
      [...this.#counters].map(async ([key, counter]) => {
        clearTimeout(counter.timer);
        counter.timer = undefined;
        await counter.syncing;
        if (counter.unsynced > 0) await this.#sync(key, counter);
      }),
    );
  }

  async close(): Promise<void> {
    await this.flush();
    this.#counters.clear();
  }

  #scheduleSync(key: string, counter: Counter): void {
    counter.timer = setTimeout(() => {
      counter.timer = undefined;
      void this.#sync(key, counter);
    }, SYNC_MS);
    counter.timer.unref?.();
  }

  #sync(key: string, counter: Counter): Promise<void> {
    counter.syncing = this.#add(key, counter).finally(() => {
      counter.syncing = undefined;
      if (counter.unsynced > 0 && !counter.timer && this.#counters.get(key) === counter)
        this.#scheduleSync(key, counter);
    });
    return counter.syncing;
  }

  async #add(key: string, counter: Counter): Promise<void> {
    const amount = counter.unsynced;
    try {
      const shared = await this.#store.increment(key, { by: amount, ttlMs: WINDOW_MS * 2 });
      counter.unsynced -= amount;
      // Every replica's count so far, this one's included.
      counter.shared = shared;
    } catch {
      // The store is down: this replica goes on counting alone (unsynced keeps growing and is
      // added once the store answers again, if the window is still open).
    }
  }

  #forgetBefore(window: number): void {
    this.#window = window;
    for (const [key, counter] of this.#counters) {
      if (counter.window < window) this.#counters.delete(key);
    }
  }
}

/**
 * The client's address: the socket's peer, or, behind `trustedProxyHops` proxies of your own,
 * the `X-Forwarded-For` entry that many places from the right (entries further left are
 * whatever the client chose to send).
 */
export function clientAddress(
  c: Context,
  trustedProxyHops: number,
  peer: PeerAddress | undefined,
): string {
  if (trustedProxyHops > 0) {
    const forwarded = (c.req.header('X-Forwarded-For') ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    const entry = forwarded[forwarded.length - trustedProxyHops];
    if (entry) return entry;
  }
  try {
    return peer?.(c) ?? 'unknown';
  } catch {
    // A runtime without connection info (a test's app.request): one shared bucket.
    return 'unknown';
  }
}

/** The runtime's own way to read the socket's peer (`getConnInfo` of its Hono adapter). */
export type PeerAddress = (c: Context) => string | undefined;
