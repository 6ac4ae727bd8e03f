import { randomUUID } from 'node:crypto';
import type {
  CompletionRecord,
  DeadJob,
  DurableQueue,
  LeasedJob,
  PutIfAbsentOptions,
  QueueJobInput,
  SetOptions,
  Store,
  StoreHealth,
  StreamCaps,
  StreamEntry,
  StreamInput,
  StreamReadOptions,
  Subscription,
} from './store';

interface Expiring<T> {
  value: T;
  expiresAt: number | undefined;
}

interface MemoryStream {
  entries: StreamEntry[];
  bytes: number;
  dedupe: Map<string, string>;
  /** The dedupe id of each entry that has one, to forget it when the entry is trimmed. */
  dedupeOf: Map<string, string>;
  lastAppendAt: number;
  maxAgeMs: number;
  /** The budget group whose byte total counts this stream's bytes. */
  group?: string;
}

interface BudgetGroup {
  /** Keys in the order they were last appended to, least recent first. */
  keys: Map<string, true>;
  bytes: number;
}

/** How often expired values are swept (they are also dropped whenever they are read). */
const SWEEP_MS = 60_000;

/**
 * The store of one process (`"store": { "type": "memory" }`): the demo, a single gateway, tests.
 * Same behaviour as the Redis store, minus durability: a restart forgets everything.
 */
export class MemoryStore implements Store {
  readonly type = 'memory';
  readonly #now: () => number;
  readonly #values = new Map<string, Expiring<string>>();
  readonly #hashes = new Map<string, Expiring<Map<string, string>>>();
  readonly #channels = new Map<string, Set<(message: string) => void>>();
  readonly #streams = new Map<string, MemoryStream>();
  readonly #streamListeners = new Map<string, Set<(entry: StreamEntry) => void>>();
  readonly #groups = new Map<string, BudgetGroup>();
  readonly #queues = new Map<string, MemoryQueue>();
  #seq = 0;
  readonly #sweeper: ReturnType<typeof setInterval>;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.#sweep(), SWEEP_MS);
    this.#sweeper.unref?.();
  }

  async get(key: string): Promise<string | undefined> {
    return this.#live(this.#values, key)?.value;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((key) => this.#live(this.#values, key)?.value);
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    if (options.ifAbsent && this.#live(this.#values, key)) return false;
    this.#hashes.delete(key);
    this.#values.set(key, { value, expiresAt: this.#expiry(options.ttlMs) });
    return true;
  }

  async putIfAbsent(key: string, value: string, options: PutIfAbsentOptions): Promise<boolean> {
    const created = await this.set(key, value, { ifAbsent: true, ttlMs: options.ttlMs });
    if (created && options.enqueue)
      await this.queue(options.enqueue.queue).add(options.enqueue.jobs);
    return created;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      this.#values.delete(key);
      this.#hashes.delete(key);
    }
  }

  async increment(key: string, options: { by?: number; ttlMs?: number } = {}): Promise<number> {
    const current = this.#live(this.#values, key);
    const next = Number(current?.value ?? 0) + (options.by ?? 1);
    this.#values.set(key, {
      value: String(next),
      expiresAt: current ? current.expiresAt : this.#expiry(options.ttlMs),
    });
    return next;
  }

  async hashSet(
    key: string,
    fields: Record<string, string>,
    options: { ttlMs?: number } = {},
  ): Promise<void> {
    const current = this.#live(this.#hashes, key);
    const hash = current?.value ?? new Map<string, string>();
    for (const [field, value] of Object.entries(fields)) hash.set(field, value);
    const expiresAt =
      options.ttlMs !== undefined ? this.#expiry(options.ttlMs) : current?.expiresAt;
    this.#values.delete(key);
    this.#hashes.set(key, { value: hash, expiresAt });
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return Object.fromEntries(this.#live(this.#hashes, key)?.value ?? []);
  }

  async hashDelete(key: string, fields: readonly string[]): Promise<void> {
    const hash = this.#live(this.#hashes, key)?.value;
    if (!hash) return;
    for (const field of fields) hash.delete(field);
    if (hash.size === 0) this.#hashes.delete(key);
  }

  async publish(channel: string, message: string): Promise<void> {
    for (const listener of [...(this.#channels.get(channel) ?? [])]) {
      try {
        listener(message);
      } catch {
        // One broken subscriber must not stop the others.
      }
    }
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<Subscription> {
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const listener = (message: string) => onMessage(message);
    addTo(this.#channels, channel, listener);
    return { unsubscribe: async () => removeFrom(this.#channels, channel, listener) };
  }

  async streamAppend(
    key: string,
    entries: readonly StreamInput[],
    caps: StreamCaps,
  ): Promise<StreamEntry[]> {
    const now = this.#now();
    let stream = this.#streams.get(key);
    if (stream && now - stream.lastAppendAt > stream.maxAgeMs) {
      this.#dropStream(key);
      stream = undefined;
    }
    stream ??= {
      entries: [],
      bytes: 0,
      dedupe: new Map(),
      dedupeOf: new Map(),
      lastAppendAt: now,
      maxAgeMs: caps.maxAgeMs,
    };
    this.#streams.set(key, stream);
    stream.lastAppendAt = now;
    stream.maxAgeMs = caps.maxAgeMs;
    const appended: StreamEntry[] = [];
    for (const input of entries) {
      if (input.dedupeId !== undefined && stream.dedupe.has(input.dedupeId)) continue;
      this.#seq += 1;
      const entry: StreamEntry = { id: String(this.#seq), key, value: input.value, at: now };
      stream.entries.push(entry);
      this.#addBytes(stream, byteLength(input.value));
      if (input.dedupeId !== undefined) {
        stream.dedupe.set(input.dedupeId, entry.id);
        stream.dedupeOf.set(entry.id, input.dedupeId);
      }
      appended.push(entry);
    }
    while (
      stream.entries.length > 0 &&
      (stream.entries.length > caps.maxLength ||
        stream.bytes > caps.maxBytes ||
        now - (stream.entries[0] as StreamEntry).at > caps.maxAgeMs)
    ) {
      this.#trimOldest(stream);
    }
    if (caps.budget) this.#enforceBudget(key, caps.budget, now);
    const kept = new Set(stream.entries.map((entry) => entry.id));
    const listeners = this.#streamListeners.get(key);
    for (const entry of appended) {
      if (!kept.has(entry.id)) continue;
      for (const listener of [...(listeners ?? [])]) {
        try {
          listener(entry);
        } catch {
          // One broken follower must not stop the others.
        }
      }
    }
    return appended.filter((entry) => kept.has(entry.id));
  }

  async streamRead(
    keys: readonly string[],
    options: StreamReadOptions = {},
  ): Promise<StreamEntry[]> {
    return this.#read(keys, options);
  }

  async followStreams(
    keys: readonly string[],
    options: { after?: string },
    onEntry: (entry: StreamEntry) => void,
  ): Promise<Subscription> {
    // Appends run to completion on this one thread, so the backlog and the live entries can
    // neither overlap nor leave a gap.
    const backlog = options.after === undefined ? [] : this.#read(keys, options);
    const listener = (entry: StreamEntry) => onEntry(entry);
    const unique = [...new Set(keys)];
    for (const key of unique) addTo(this.#streamListeners, key, listener);
    for (const entry of backlog) onEntry(entry);
    return {
      unsubscribe: async () => {
        for (const key of unique) removeFrom(this.#streamListeners, key, listener);
      },
    };
  }

  async streamHead(): Promise<string> {
    return String(this.#seq);
  }

  queue(name: string): DurableQueue {
    let queue = this.#queues.get(name);
    if (!queue) {
      queue = new MemoryQueue(this.#now, this);
      this.#queues.set(name, queue);
    }
    return queue;
  }

  async ready(): Promise<void> {}

  async check(): Promise<StoreHealth> {
    return { type: 'memory', ok: true, latencyMs: 0 };
  }

  onSubscriptionsLost(): () => void {
    // One process's subscriptions cannot be lost.
    return () => {};
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#channels.clear();
    this.#streamListeners.clear();
  }

  /** Streams with at least one follower (lets tests see that activity streams clean up). */
  get followedStreamCount(): number {
    return this.#streamListeners.size;
  }

  /** Keys holding something (values, hashes, streams), for tests of expiry and budgets. */
  get size(): number {
    this.#sweep();
    return this.#values.size + this.#hashes.size + this.#streams.size;
  }

  #expiry(ttlMs: number | undefined): number | undefined {
    return ttlMs === undefined ? undefined : this.#now() + ttlMs;
  }

  #live<T>(map: Map<string, Expiring<T>>, key: string): Expiring<T> | undefined {
    const item = map.get(key);
    if (item?.expiresAt !== undefined && item.expiresAt <= this.#now()) {
      map.delete(key);
      return undefined;
    }
    return item;
  }

  #trimOldest(stream: MemoryStream): void {
    const oldest = stream.entries.shift();
    if (!oldest) return;
    this.#addBytes(stream, -byteLength(oldest.value));
    const dedupeId = stream.dedupeOf.get(oldest.id);
    if (dedupeId !== undefined) {
      stream.dedupe.delete(dedupeId);
      stream.dedupeOf.delete(oldest.id);
    }
  }

  #addBytes(stream: MemoryStream, delta: number): void {
    stream.bytes += delta;
    const group = stream.group === undefined ? undefined : this.#groups.get(stream.group);
    if (group) group.bytes += delta;
  }

  #enforceBudget(key: string, budget: NonNullable<StreamCaps['budget']>, now: number): void {
    let group = this.#groups.get(budget.group);
    if (!group) {
      group = { keys: new Map(), bytes: 0 };
      this.#groups.set(budget.group, group);
    }
    const stream = this.#streams.get(key);
    if (!stream) return;
    if (stream.group !== budget.group) {
      stream.group = budget.group;
      group.bytes += stream.bytes;
    }
    group.keys.delete(key);
    group.keys.set(key, true);
    // Least recently appended first: drop streams that aged out, then the oldest while over.
    for (const member of group.keys.keys()) {
      if (member === key) break;
      const other = this.#streams.get(member);
      const stale = !other || now - other.lastAppendAt > other.maxAgeMs;
      if (!stale && group.bytes <= budget.maxBytes) break;
      this.#dropStream(member);
    }
  }

  #dropStream(key: string): void {
    const stream = this.#streams.get(key);
    this.#streams.delete(key);
    if (stream?.group === undefined) return;
    const group = this.#groups.get(stream.group);
    if (!group) return;
    group.bytes -= stream.bytes;
    group.keys.delete(key);
  }

  #read(keys: readonly string[], options: StreamReadOptions): StreamEntry[] {
    const after = options.after === undefined ? 0 : Number(options.after);
    const now = this.#now();
    const found: StreamEntry[] = [];
    for (const key of new Set(keys)) {
      const stream = this.#streams.get(key);
      if (!stream) continue;
      if (now - stream.lastAppendAt > stream.maxAgeMs) {
        this.#dropStream(key);
        continue;
      }
      for (const entry of stream.entries) if (Number(entry.id) > after) found.push(entry);
    }
    found.sort((a, b) => Number(a.id) - Number(b.id));
    return options.limit === undefined ? found : found.slice(-options.limit);
  }

  #sweep(): void {
    const now = this.#now();
    for (const map of [this.#values, this.#hashes] as Map<string, Expiring<unknown>>[]) {
      for (const [key, item] of map) {
        if (item.expiresAt !== undefined && item.expiresAt <= now) map.delete(key);
      }
    }
    for (const [key, stream] of this.#streams) {
      if (now - stream.lastAppendAt > stream.maxAgeMs) this.#dropStream(key);
    }
  }
}

interface MemoryJob {
  payload: string;
  attempts: number;
  dueAt: number;
  lease: string | undefined;
}

class MemoryQueue implements DurableQueue {
  readonly #jobs = new Map<string, MemoryJob>();
  readonly #dead = new Map<string, DeadJob>();

  constructor(
    private readonly now: () => number,
    private readonly store: MemoryStore,
  ) {}

  async add(jobs: readonly QueueJobInput[]): Promise<number> {
    let added = 0;
    for (const job of jobs) {
      if (this.#jobs.has(job.id) || this.#dead.has(job.id)) continue;
      this.#jobs.set(job.id, {
        payload: job.payload,
        attempts: 0,
        dueAt: this.now(),
        lease: undefined,
      });
      added += 1;
    }
    return added;
  }

  async claim(options: { max: number; leaseMs: number }): Promise<LeasedJob[]> {
    const now = this.now();
    const due = [...this.#jobs.entries()]
      .filter(([, job]) => job.dueAt <= now)
      .sort((a, b) => a[1].dueAt - b[1].dueAt)
      .slice(0, options.max);
    return due.map(([id, job]) => {
      job.attempts += 1;
      job.lease = randomUUID();
      job.dueAt = now + options.leaseMs;
      return { id, payload: job.payload, attempts: job.attempts, lease: job.lease };
    });
  }

  async complete(job: LeasedJob, record?: CompletionRecord): Promise<boolean> {
    if (this.#jobs.get(job.id)?.lease !== job.lease) return false;
    this.#jobs.delete(job.id);
    if (record) {
      await this.store.hashSet(
        record.key,
        { [record.field]: record.value },
        record.ttlMs === undefined ? {} : { ttlMs: record.ttlMs },
      );
    }
    return true;
  }

  async retry(job: LeasedJob, delayMs: number): Promise<boolean> {
    const held = this.#jobs.get(job.id);
    if (held?.lease !== job.lease) return false;
    held.lease = undefined;
    held.dueAt = this.now() + delayMs;
    return true;
  }

  async bury(job: LeasedJob, reason: string): Promise<boolean> {
    const held = this.#jobs.get(job.id);
    if (held?.lease !== job.lease) return false;
    this.#jobs.delete(job.id);
    this.#dead.set(job.id, {
      id: job.id,
      payload: held.payload,
      attempts: held.attempts,
      reason,
      diedAt: this.now(),
    });
    return true;
  }

  async dead(): Promise<DeadJob[]> {
    return [...this.#dead.values()].sort((a, b) => a.diedAt - b.diedAt);
  }

  async replay(ids?: readonly string[]): Promise<number> {
    const chosen = ids ?? [...this.#dead.keys()];
    let moved = 0;
    for (const id of chosen) {
      const dead = this.#dead.get(id);
      if (!dead) continue;
      this.#dead.delete(id);
      this.#jobs.set(id, {
        payload: dead.payload,
        attempts: 0,
        dueAt: this.now(),
        lease: undefined,
      });
      moved += 1;
    }
    return moved;
  }

  async counts(): Promise<{ queued: number; dead: number }> {
    return { queued: this.#jobs.size, dead: this.#dead.size };
  }

  async nextDueInMs(): Promise<number | undefined> {
    let next: number | undefined;
    for (const job of this.#jobs.values()) next = Math.min(next ?? job.dueAt, job.dueAt);
    return next === undefined ? undefined : Math.max(0, next - this.now());
  }
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
