import type { Context } from 'hono';
import { ApiError } from './http-errors';
import { MemoryStore } from './store/memory-store';
import { isStoreUnavailable, type Store } from './store/store';

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows counted in the store, so a limit holds across replicas. When the
 * store cannot count (Redis down), this replica counts alone: lookups keep working, still
 * limited, instead of failing open or failing closed.
 */
export class RateLimiter {
  readonly #store: Store;
  readonly #fallback = new MemoryStore();
  readonly #now: () => number;

  constructor(store: Store, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /**
   * Counts one request of `who` in `bucket`; throws a 429 with `Retry-After` past
   * `perMinute` (0: no limit).
   */
  async take(bucket: string, who: string, perMinute: number): Promise<void> {
    if (perMinute <= 0) return;
    const now = this.#now();
    const window = Math.floor(now / WINDOW_MS);
    const key = `rate:${bucket}:${who}:${window}`;
    const options = { ttlMs: WINDOW_MS * 2 };
    let count: number;
    try {
      count = await this.#store.increment(key, options);
    } catch (error) {
      if (!isStoreUnavailable(error)) throw error;
      count = await this.#fallback.increment(key, options);
    }
    if (count <= perMinute) return;
    const retryAfter = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    throw new ApiError(429, 'rate_limited', `too many requests; try again in ${retryAfter} s`, {
      'Retry-After': String(retryAfter),
    });
  }

  async close(): Promise<void> {
    await this.#fallback.close();
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
