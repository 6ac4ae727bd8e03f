import type { IDBPTransaction } from 'idb';
import type { ExtensionConfig } from '../shared/config';
import { RateLimitedError } from '../shared/connectors/http';
import { formatIdentity } from '../shared/identity';
import type { CallerContext, Identity, SourceError } from '../shared/model';
import type { ConfigStore } from './config-store';
import { mergeMatches } from './context-merge';
import type { CachedContext, CallerContextDB, Database } from './db';
import {
  CONTEXT_TIMEOUT_MS,
  type FetchLike,
  fetchCallerContext,
  GatewayError,
} from './gateway-client';

/** One back end the background asks directly: the gateway, or Dynamics with the agent's token. */
export interface ContextFetcher {
  /** Names the back end in `errors`. */
  readonly id: string;
  fetch(identity: Identity, signal: AbortSignal): Promise<CallerContext>;
}

export interface ContextServiceDeps {
  db: Promise<Database>;
  config: ConfigStore;
  /** The back ends to ask for a config (the gateway always; Dynamics when configured). */
  fetchers(config: ExtensionConfig): ContextFetcher[];
  now?: () => Date;
  /** Deadline per back end, retries included; a slow one cannot hold the pop. */
  timeoutMs?: number;
  /** Tries per back end when it answers 429. */
  maxAttempts?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * The cached context of `identity` while it is fresh (its lifetime not over at `at`), or undefined,
 * from the cache store in any transaction: a ring reads it in the transaction that writes its call
 * (background/caller-service.ts). The purge of expired contexts is left to its caller.
 */
export async function freshCachedContext(
  cache: { get(key: string): Promise<CachedContext | undefined> },
  identity: Identity,
  at: number,
): Promise<CallerContext | undefined> {
  const entry = await cache.get(formatIdentity(identity));
  return entry && entry.expiresAt > at ? entry.context : undefined;
}

/** A little past the gateway client's own deadline, so its clearer message wins. */
export const SOURCE_TIMEOUT_MS = CONTEXT_TIMEOUT_MS + 500;
const MAX_ATTEMPTS = 3;
const FIRST_BACKOFF_MS = 250;

/** Every back end failed: the lookup failed, with the first back end's message. */
export class ContextUnavailable extends Error {}

/**
 * The caller's context from every configured back end at once, merged into one view. Contexts are
 * cached in IndexedDB for `cacheTtlSeconds` (never longer) and concurrent lookups of one identity
 * share one request. A back end that answers 429 is retried after its `Retry-After` or an
 * exponential backoff, within its deadline.
 */
export function createContextService(deps: ContextServiceDeps) {
  const now = deps.now ?? (() => new Date());
  const timeoutMs = deps.timeoutMs ?? SOURCE_TIMEOUT_MS;
  const maxAttempts = deps.maxAttempts ?? MAX_ATTEMPTS;
  const sleep = deps.sleep ?? sleepFor;
  // Only joins lookups running at the same moment; nothing here must outlive the worker.
  const inFlight = new Map<string, Promise<CallerContext>>();

  const fetchFrom = async (fetcher: ContextFetcher, identity: Identity): Promise<CallerContext> => {
    const controller = new AbortController();
    const deadline = now().getTime() + timeoutMs;
    const timer = setTimeout(
      () => controller.abort(new Error(`did not answer within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await raceAbort(fetcher.fetch(identity, controller.signal), controller.signal);
        } catch (error) {
          const wait = retryWait(error, attempt);
          const left = deadline - now().getTime();
          if (wait === undefined || attempt >= maxAttempts || wait >= left) throw error;
          await sleep(wait, controller.signal);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  };

  const fetchAll = async (identity: Identity, config: ExtensionConfig): Promise<CallerContext> => {
    const fetchers = deps.fetchers(config);
    const outcomes = await Promise.allSettled(fetchers.map((f) => fetchFrom(f, identity)));
    const errors: SourceError[] = [];
    const contexts: CallerContext[] = [];
    outcomes.forEach((outcome, i) => {
      const id = fetchers[i]?.id ?? 'unknown';
      if (outcome.status === 'fulfilled') {
        contexts.push(outcome.value);
        errors.push(...outcome.value.errors);
      } else {
        errors.push({ source: id, message: messageOf(outcome.reason) });
      }
    });
    if (contexts.length === 0) {
      const first = outcomes[0];
      throw first?.status === 'rejected' && first.reason instanceof Error
        ? first.reason
        : new ContextUnavailable(errors[0]?.message ?? 'No back end is configured.');
    }
    return {
      identity,
      matches: mergeMatches(
        contexts.flatMap((c) => c.matches),
        config.defaultRegion,
      ),
      // As fresh as its oldest part: each back end stamps when it read its platforms.
      fetchedAt: contexts.map((c) => c.fetchedAt).sort()[0] ?? now().toISOString(),
      errors,
    };
  };

  const store = async (key: string, context: CallerContext, ttlSeconds: number) => {
    // A partial answer is not kept: the next call asks the failing back end again.
    if (ttlSeconds === 0 || context.errors.length > 0) return;
    const storedAt = now().getTime();
    await (await deps.db).put('contextCache', {
      key,
      context,
      storedAt,
      expiresAt: storedAt + ttlSeconds * 1000,
    });
  };

  /** Deletes the contexts past their lifetime; the caller's transaction commits it. */
  const deleteExpired = async (
    tx: IDBPTransaction<CallerContextDB, ['contextCache'], 'readwrite'>,
    at: number,
  ): Promise<void> => {
    const expired = await tx.store.index('byExpiresAt').getAllKeys(IDBKeyRange.upperBound(at));
    await Promise.all(expired.map((key) => tx.store.delete(key)));
  };

  /**
   * The purge and the cache read of a lookup in one transaction: each transaction costs the
   * screen pop a round trip to the browser's IndexedDB, and two of them in turn were measured at
   * ~6 ms of a warm pop (bench/pop-profile.ts). The read is issued with the purge, so it may see an
   * entry the purge deletes; the expiry check below turns that into a miss, as before.
   */
  const purgeExpiredAndRead = async (key: string): Promise<CachedContext | undefined> => {
    const db = await deps.db;
    const at = now().getTime();
    const tx = db.transaction('contextCache', 'readwrite');
    const [cached] = await Promise.all([tx.store.get(key), deleteExpired(tx, at), tx.done]);
    return cached && cached.expiresAt > at ? cached : undefined;
  };

  const service = {
    /** The merged context; throws (with the back end's message) only when every back end failed. */
    async lookup(identity: Identity): Promise<CallerContext> {
      const key = formatIdentity(identity);
      const running = inFlight.get(key);
      if (running) return running;
      const lookup = (async () => {
        const { config } = await deps.config.get();
        const cached = await purgeExpiredAndRead(key);
        if (cached) return cached.context;
        const context = await fetchAll(identity, config);
        await store(key, context, config.cacheTtlSeconds);
        return context;
      })();
      inFlight.set(key, lookup);
      try {
        return await lookup;
      } finally {
        inFlight.delete(key);
      }
    },
    /** Deletes contexts past their lifetime, so customer data never outlives the TTL on disk. */
    async purgeExpired(): Promise<void> {
      const tx = (await deps.db).transaction('contextCache', 'readwrite');
      await Promise.all([deleteExpired(tx, now().getTime()), tx.done]);
    },
    /** Forgets every cached context (policy changed, agent signed out). */
    async clear(): Promise<void> {
      await (await deps.db).clear('contextCache');
    },
  };
  return service;
}

export type ContextService = ReturnType<typeof createContextService>;

/** How long to wait before trying again, or undefined when the failure is not worth a retry. */
function retryWait(error: unknown, attempt: number): number | undefined {
  const backoff = FIRST_BACKOFF_MS * 2 ** (attempt - 1);
  if (error instanceof RateLimitedError) return error.retryAfterMs ?? backoff;
  if (error instanceof GatewayError && error.rateLimited) return error.retryAfterMs ?? backoff;
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'failed';
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** The gateway as a back end of the context service, with the configured URL and token. */
export function gatewayFetcher(config: ExtensionConfig, fetchImpl?: FetchLike): ContextFetcher {
  return {
    id: 'gateway',
    fetch: (identity, signal) => fetchCallerContext(config, identity, fetchImpl, signal),
  };
}
