/**
 * The gateway's store: everything that must outlive one request or one process lives here, so
 * that any replica can serve any request and a replica can die at any moment
 * (docs/architecture.md, "The gateway"). Two implementations behind this one interface:
 *
 * - `MemoryStore` (`"store": { "type": "memory" }`, the default): one process, the demo, tests.
 *   Everything is lost when the process ends.
 * - `RedisStore` (`"store": { "type": "redis", "url": "redis://host:6379/0" }`): any number of
 *   replicas share one Redis. Durable as far as Redis persists (docs/deploy.md, "Redis").
 *
 * Keys and channels are plain names chosen by the caller (`presence:marco@example.com`); the
 * store adds its own prefix. Every method may reject with a `StoreUnavailableError` when the
 * store cannot be reached or answers too slowly: callers turn that into a 503, never a crash.
 *
 * What the gateway builds on it, as examples of use:
 * - live web activity: `streamAppend` / `streamRead` / `followStreams`, one stream per identity;
 * - the after-call ledger and its delivery: `putIfAbsent` with `enqueue`, then `queue(...)`;
 * - presence with a 90 s expiry: `set('presence:<agent>', state, { ttlMs: 90_000 })`;
 * - a prefetched-context cache: `set(key, json, { ttlMs })` and `get(key)`;
 * - customer -> manager overrides: `hashSet('overrides', {...})` / `hashGetAll('overrides')`;
 * - a shared record with a one-day TTL plus notes fanned out to every replica:
 *   `set(key, json, { ttlMs: 86_400_000 })` and `publish` / `subscribe`, or a capped stream
 *   (`streamAppend` + `followStreams`) when late joiners must catch up.
 */
export interface Store {
  readonly type: 'memory' | 'redis';

  // ----- values -----------------------------------------------------------------------------
  get(key: string): Promise<string | undefined>;
  /** Several values in one round trip, in the order of `keys`. */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  /**
   * Sets a value, optionally expiring after `ttlMs`. With `ifAbsent`, only when the key holds
   * nothing; resolves `false` when it was left as it was.
   */
  set(key: string, value: string, options?: SetOptions): Promise<boolean>;
  /**
   * `set` with `ifAbsent`, plus `enqueue`d jobs added in the same atomic step only when the value
   * was new: "stored" and "queued for delivery" can never be half done.
   */
  putIfAbsent(key: string, value: string, options: PutIfAbsentOptions): Promise<boolean>;
  delete(keys: readonly string[]): Promise<void>;
  /**
   * Adds `by` (default 1) to a counter and resolves the new value. `ttlMs` applies when the
   * counter is created, so a fixed window ends on time however often it is incremented.
   */
  increment(key: string, options?: { by?: number; ttlMs?: number }): Promise<number>;

  // ----- hashes (a record of string fields) ---------------------------------------------------
  /** Sets fields; `ttlMs` (re)sets the expiry of the whole hash. */
  hashSet(key: string, fields: Record<string, string>, options?: { ttlMs?: number }): Promise<void>;
  /** Every field, `{}` when the hash does not exist or has expired. */
  hashGetAll(key: string): Promise<Record<string, string>>;
  hashDelete(key: string, fields: readonly string[]): Promise<void>;

  // ----- publish / subscribe (every replica's subscribers hear it; no history) -----------------
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once messages published from now on will be heard. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Subscription>;

  // ----- streams (capped, ordered logs with resumable ids) ------------------------------------
  /**
   * Appends entries to a stream, skipping entries whose `dedupeId` the stream already took (for
   * as long as it keeps entries). Ids come from one counter per store, so ids of different
   * streams are ordered too: "after id N" means the same moment in every stream. Then trims the
   * stream to its caps (oldest entries first) and tells `followStreams` subscribers on every
   * replica. Resolves the entries appended.
   */
  streamAppend(
    key: string,
    entries: readonly StreamInput[],
    caps: StreamCaps,
  ): Promise<StreamEntry[]>;
  /** Entries of the streams with an id after `after` (all kept entries without it), oldest first. */
  streamRead(keys: readonly string[], options?: StreamReadOptions): Promise<StreamEntry[]>;
  /**
   * Calls `onEntry` for every entry appended to any of the streams, on any replica, in id order
   * and each once. With `after`, first replays what the streams kept after that id, so a client
   * that reconnects with its last id misses nothing the streams still hold. Resolves once live.
   */
  followStreams(
    keys: readonly string[],
    options: { after?: string },
    onEntry: (entry: StreamEntry) => void,
  ): Promise<Subscription>;
  /** The id the next appended entry will be greater than (the current end of every stream). */
  streamHead(): Promise<string>;

  // ----- durable queues -----------------------------------------------------------------------
  /** A named queue of jobs with leases, retries and a dead-letter list. */
  queue(name: string): DurableQueue;

  // ----- health -------------------------------------------------------------------------------
  /** Resolves once the store is connected; rejects after `timeoutMs` (default 10 s). */
  ready(timeoutMs?: number): Promise<void>;
  /** Asks the store now (a round trip), for readiness checks. */
  check(): Promise<StoreHealth>;
  /**
   * Called when the store's connection for subscriptions is lost: messages published meanwhile
   * are not heard, so live followers should end and let their clients resume by id.
   */
  onSubscriptionsLost(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface SetOptions {
  ttlMs?: number;
  ifAbsent?: boolean;
}

export interface PutIfAbsentOptions {
  ttlMs?: number;
  enqueue?: { queue: string; jobs: readonly QueueJobInput[] };
}

export interface Subscription {
  unsubscribe(): Promise<void>;
}

export interface StreamInput {
  value: string;
  /** Entries with a `dedupeId` the stream already holds are skipped (retries of the same post). */
  dedupeId?: string;
}

export interface StreamEntry {
  /** A decimal number as text; greater ids were appended later, across every stream. */
  id: string;
  /** The stream the entry is in. */
  key: string;
  value: string;
  /** When the store appended it (ms since the epoch, the store's clock). */
  at: number;
}

export interface StreamCaps {
  /** Entries kept per stream. */
  maxLength: number;
  /** Entries older than this are dropped; a stream nobody appends to expires after it. */
  maxAgeMs: number;
  /** Bytes of values kept per stream. */
  maxBytes: number;
  /**
   * A byte budget shared by every stream of the group: past it, the streams appended to least
   * recently are dropped whole, so a flood of new identities cannot exhaust the store.
   */
  budget?: { group: string; maxBytes: number };
}

export interface StreamReadOptions {
  after?: string;
  /** At most this many entries, the newest ones. */
  limit?: number;
}

export interface QueueJobInput {
  /** Unique in the queue: adding an id that is queued (or dead) already does nothing. */
  id: string;
  payload: string;
}

export interface LeasedJob {
  id: string;
  payload: string;
  /** Claims so far, this one included. */
  attempts: number;
  /** Proof of the lease: completing or retrying with a lost lease does nothing. */
  lease: string;
}

export interface DeadJob {
  id: string;
  payload: string;
  attempts: number;
  reason: string;
  /** ms since the epoch. */
  diedAt: number;
}

/**
 * Jobs are claimed with a lease: a claimed job is invisible to other claimers until the lease
 * ends; a worker that dies leaves it to be claimed again when the lease runs out. Times are the
 * store's clock, so replicas with skewed clocks agree.
 */
export interface DurableQueue {
  add(jobs: readonly QueueJobInput[]): Promise<number>;
  /** Up to `max` jobs that are due, each leased for `leaseMs`. */
  claim(options: { max: number; leaseMs: number }): Promise<LeasedJob[]>;
  /** Removes the job if the lease is still ours; `record` is written in the same step. */
  complete(job: LeasedJob, record?: CompletionRecord): Promise<boolean>;
  /** Makes the job due again after `delayMs`, if the lease is still ours. */
  retry(job: LeasedJob, delayMs: number): Promise<boolean>;
  /** Moves the job to the dead-letter list, if the lease is still ours. */
  bury(job: LeasedJob, reason: string): Promise<boolean>;
  dead(): Promise<DeadJob[]>;
  /** Moves dead jobs (all, or those named) back into the queue, due now, attempts reset. */
  replay(ids?: readonly string[]): Promise<number>;
  counts(): Promise<{ queued: number; dead: number }>;
  /** ms until the next job is due (0: now), or undefined when the queue is empty. */
  nextDueInMs(): Promise<number | undefined>;
}

/** A hash field set when a job completes, e.g. which sink took which event and when. */
export interface CompletionRecord {
  key: string;
  field: string;
  value: string;
  ttlMs?: number;
}

export interface StoreHealth {
  type: 'memory' | 'redis';
  ok: boolean;
  /** Round trip of the check, when it answered. */
  latencyMs?: number;
  /** Why it is not ok; never the URL or a password. */
  problem?: string;
}

/** The store cannot be reached or answered too late; the request may be retried later. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreUnavailableError;
}
