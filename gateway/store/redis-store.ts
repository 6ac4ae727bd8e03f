import { createHash, randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import * as scripts from './redis-scripts';
import {
  type CompletionRecord,
  type DeadJob,
  type DurableQueue,
  type LeasedJob,
  type PutIfAbsentOptions,
  type QueueJobInput,
  type SetOptions,
  type Store,
  type StoreHealth,
  StoreUnavailableError,
  type StreamCaps,
  type StreamEntry,
  type StreamInput,
  type StreamReadOptions,
  type Subscription,
} from './store';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port/db`, `rediss://` for TLS, or `unix:///path/redis.sock`. */
  url: string;
  /** Put before every key and channel, so several deployments can share one Redis. */
  prefix?: string;
  /** A command not answered within this time fails (the request gets a 503), default 1000. */
  commandTimeoutMs?: number;
  /** Problems (connection lost, back again); never carries the URL. */
  onProblem?: (message: string) => void;
}

type Script = keyof typeof SCRIPT_SOURCES;
const SCRIPT_SOURCES = {
  streamAppend: scripts.STREAM_APPEND,
  putIfAbsent: scripts.PUT_IF_ABSENT,
  increment: scripts.INCREMENT,
  hashSet: scripts.HASH_SET,
  queueAdd: scripts.QUEUE_ADD,
  queueClaim: scripts.QUEUE_CLAIM,
  queueComplete: scripts.QUEUE_COMPLETE,
  queueRetry: scripts.QUEUE_RETRY,
  queueBury: scripts.QUEUE_BURY,
  queueReplay: scripts.QUEUE_REPLAY,
  queueNextDue: scripts.QUEUE_NEXT_DUE,
} as const;
const SCRIPT_SHAS = Object.fromEntries(
  Object.entries(SCRIPT_SOURCES).map(([name, lua]) => [
    name,
    createHash('sha1').update(lua).digest('hex'),
  ]),
) as Record<Script, string>;

/** After a failure, how long commands fail at once before one tries Redis again. */
const FAIL_FAST_MS = 1000;

/** Redis errors that mean "not now", not "wrong command": the request may be retried later. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|OOM|MASTERDOWN|READONLY|TRYAGAIN|NOREPLICAS|MISCONF)\b/;

/**
 * The store shared by every replica (`"store": { "type": "redis", ... }`), over ioredis. Two
 * connections: one for commands, one that only listens (Redis reserves a subscribed connection
 * for messages). Commands fail at once while the connection is down (no offline queue), and
 * after `commandTimeoutMs` when Redis is slow, so requests answer 503 instead of hanging; the
 * connections come back by themselves.
 */
export class RedisStore implements Store {
  readonly type = 'redis';
  readonly #redis: Redis;
  readonly #listener: Redis;
  readonly #prefix: string;
  readonly #channels = new Map<string, Set<(message: string) => void>>();
  readonly #lostListeners = new Set<() => void>();
  readonly #onProblem: (message: string) => void;
  #listenerWasReady = false;
  #closed = false;
  /** Until when commands fail at once, after one failed (ms since the epoch). */
  #failingUntil = 0;

  constructor(options: RedisStoreOptions) {
    this.#prefix = options.prefix ?? 'cc:';
    this.#onProblem = options.onProblem ?? (() => {});
    const connection = connectionOptions(options.url);
    const common: RedisOptions = {
      ...connection,
      commandTimeout: options.commandTimeoutMs ?? 1000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 5000,
      // Reconnect for ever, backing off to 2 s: the gateway recovers without a restart.
      retryStrategy: (times) => Math.min(100 * times, 2000),
      autoResubscribe: false,
      autoResendUnfulfilledCommands: false,
    };
    this.#redis = new Redis({
      ...common,
      connectionName: 'caller-context',
      // Commands issued in one tick (many requests at once) leave in one write, not one each.
      enableAutoPipelining: true,
    });
    this.#listener = new Redis({
      ...common,
      // Subscribing waits for the connection; a message never times out.
      commandTimeout: undefined,
      connectionName: 'caller-context-listener',
    });
    this.#watch(this.#redis, 'commands');
    this.#watch(this.#listener, 'subscriptions');
    this.#listener.on('message', (channel: string, message: string) => {
      for (const handler of [...(this.#channels.get(channel) ?? [])]) {
        try {
          handler(message);
        } catch {
          // One broken subscriber must not stop the others.
        }
      }
    });
    this.#listener.on('ready', () => {
      if (this.#listenerWasReady) this.#resubscribe();
      this.#listenerWasReady = true;
    });
    this.#listener.on('close', () => {
      if (!this.#listenerWasReady || this.#closed) return;
      for (const listener of [...this.#lostListeners]) listener();
    });
  }

  /** Resolves once both connections are up (tests and benchmarks; the gateway does not wait). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#redis.status !== 'ready' || this.#listener.status !== 'ready') {
      if (Date.now() > deadline) throw new StoreUnavailableError('Redis is not reachable');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#run(() => this.#redis.get(this.#key(key)))) ?? undefined;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this.#run(() => this.#redis.mget(keys.map((key) => this.#key(key))));
    return values.map((value) => value ?? undefined);
  }

  async set(key: string, value: string, options: SetOptions = {}): Promise<boolean> {
    const full = this.#key(key);
    const answer = await this.#run(() => {
      if (options.ttlMs !== undefined && options.ifAbsent)
        return this.#redis.set(full, value, 'PX', ttl(options.ttlMs), 'NX');
      if (options.ttlMs !== undefined)
        return this.#redis.set(full, value, 'PX', ttl(options.ttlMs));
      if (options.ifAbsent) return this.#redis.set(full, value, 'NX');
      return this.#redis.set(full, value);
    });
    return answer === 'OK';
  }

  async putIfAbsent(key: string, value: string, options: PutIfAbsentOptions): Promise<boolean> {
    const keys = [this.#key(key)];
    const args = [value, options.ttlMs === undefined ? '' : String(ttl(options.ttlMs))];
    if (options.enqueue) {
      keys.push(...this.#queueKeys(options.enqueue.queue));
      for (const job of options.enqueue.jobs) args.push(job.id, job.payload);
    }
    return (await this.#script('putIfAbsent', keys, args)) === 1;
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.#run(() => this.#redis.del(...keys.map((key) => this.#key(key))));
  }

  async increment(key: string, options: { by?: number; ttlMs?: number } = {}): Promise<number> {
    const ttlArg = options.ttlMs === undefined ? '' : String(ttl(options.ttlMs));
    return Number(
      await this.#script('increment', [this.#key(key)], [String(options.by ?? 1), ttlArg]),
    );
  }

  async hashSet(
    key: string,
    fields: Record<string, string>,
    options: { ttlMs?: number } = {},
  ): Promise<void> {
    const full = this.#key(key);
    if (Object.keys(fields).length === 0 && options.ttlMs === undefined) return;
    const args = [options.ttlMs === undefined ? '' : String(ttl(options.ttlMs))];
    for (const [field, value] of Object.entries(fields)) args.push(field, value);
    await this.#script('hashSet', [full], args);
  }

  async hashGetAll(key: string): Promise<Record<string, string>> {
    return this.#run(() => this.#redis.hgetall(this.#key(key)));
  }

  async hashDelete(key: string, fields: readonly string[]): Promise<void> {
    if (fields.length === 0) return;
    await this.#run(() => this.#redis.hdel(this.#key(key), ...fields));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#run(() => this.#redis.publish(this.#channel(channel), message));
  }

  async subscribe(channel: string, onMessage: (message: string) => void): Promise<Subscription> {
    return this.#listen(this.#channel(channel), onMessage);
  }

  async streamAppend(
    key: string,
    entries: readonly StreamInput[],
    caps: StreamCaps,
  ): Promise<StreamEntry[]> {
    if (entries.length === 0) return [];
    const keys = [
      this.#streamKey(key),
      this.#dedupeKey(key),
      this.#metaKey(key),
      `${this.#prefix}seq`,
    ];
    if (caps.budget) {
      const group = caps.budget.group;
      keys.push(
        `${this.#prefix}b:${group}`,
        `${this.#prefix}bb:${group}`,
        `${this.#prefix}bt:${group}`,
      );
    }
    const args = [
      String(caps.maxLength),
      String(Math.max(1, Math.round(caps.maxAgeMs))),
      String(caps.maxBytes),
      String(caps.budget ? caps.budget.maxBytes : -1),
      this.#streamChannel(key),
      key,
      this.#streamKey(''),
      this.#dedupeKey(''),
      this.#metaKey(''),
    ];
    for (const entry of entries) args.push(entry.value, entry.dedupeId ?? '');
    const reply = (await this.#script('streamAppend', keys, args)) as (string | number)[];
    const at = Number(reply[0]);
    const appended: StreamEntry[] = [];
    for (let i = 1; i + 1 < reply.length; i += 2) {
      const input = entries[Number(reply[i + 1])];
      if (input) appended.push({ id: String(reply[i]), key, value: input.value, at });
    }
    return appended;
  }

  async streamRead(
    keys: readonly string[],
    options: StreamReadOptions = {},
  ): Promise<StreamEntry[]> {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return [];
    const start = options.after === undefined ? '-' : `(${options.after}-0`;
    // One command each, through the auto-pipeline (one write for all of them), so a read never
    // overtakes a write issued before it: an explicit pipeline would leave at once.
    const replies = await this.#run(() =>
      Promise.all(
        unique.map((key) =>
          options.limit === undefined
            ? this.#redis.xrange(this.#streamKey(key), start, '+')
            : this.#redis.xrevrange(this.#streamKey(key), '+', start, 'COUNT', options.limit),
        ),
      ),
    );
    const found: StreamEntry[] = [];
    replies.forEach((reply, i) => {
      for (const [rawId, fields] of reply as [string, string[]][]) {
        found.push(toEntry(unique[i] as string, rawId, fields));
      }
    });
    found.sort((a, b) => Number(a.id) - Number(b.id));
    return options.limit === undefined ? found : found.slice(-options.limit);
  }

  async followStreams(
    keys: readonly string[],
    options: { after?: string },
    onEntry: (entry: StreamEntry) => void,
  ): Promise<Subscription> {
    let last = options.after === undefined ? undefined : Number(options.after);
    let live = false;
    const early: StreamEntry[] = [];
    const deliver = (entry: StreamEntry) => {
      const id = Number(entry.id);
      if (last !== undefined && id <= last) return;
      last = id;
      onEntry(entry);
    };
    const onMessage = (message: string) => {
      const entry = parseAnnounced(message);
      if (!entry) return;
      if (live) deliver(entry);
      else early.push(entry);
    };
    const unique = [...new Set(keys)];
    const subscriptions: Subscription[] = [];
    const unsubscribe = async () => {
      await Promise.all(subscriptions.map((subscription) => subscription.unsubscribe()));
    };
    try {
      for (const key of unique)
        subscriptions.push(await this.#listen(this.#streamChannel(key), onMessage));
      // Subscribed first, read second: an entry appended in between is in both, and `deliver`
      // drops the second copy by its id.
      if (options.after !== undefined) {
        for (const entry of await this.streamRead(unique, { after: options.after })) deliver(entry);
      }
    } catch (error) {
      await unsubscribe();
      throw error;
    }
    live = true;
    for (const entry of early.sort((a, b) => Number(a.id) - Number(b.id))) deliver(entry);
    return { unsubscribe };
  }

  async streamHead(): Promise<string> {
    return (await this.#run(() => this.#redis.get(`${this.#prefix}seq`))) ?? '0';
  }

  queue(name: string): DurableQueue {
    return new RedisQueue(this.#queueKeys(name), {
      script: (script, keys, args) => this.#script(script, keys, args),
      hashAll: (key) => this.#run(() => this.#redis.hgetall(key)),
      key: (key) => this.#key(key),
      sizes: (zset, hash) =>
        this.#run(async () => {
          const [queued, dead] = await Promise.all([
            this.#redis.zcard(zset),
            this.#redis.hlen(hash),
          ]);
          return [Number(queued), Number(dead)];
        }),
    });
  }

  /** What `putIfAbsent`'s `enqueue` and the queue use: jobs hash, due set, dead-letter hash. */
  #queueKeys(name: string): [string, string, string] {
    return [`${this.#prefix}qj:${name}`, `${this.#prefix}qd:${name}`, `${this.#prefix}qx:${name}`];
  }

  async check(): Promise<StoreHealth> {
    const started = performance.now();
    try {
      await this.#run(() => this.#redis.ping());
      if (this.#listener.status !== 'ready')
        return { type: 'redis', ok: false, problem: 'the subscription connection is down' };
      return { type: 'redis', ok: true, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { type: 'redis', ok: false, problem: problemOf(error) };
    }
  }

  onSubscriptionsLost(listener: () => void): () => void {
    this.#lostListeners.add(listener);
    return () => this.#lostListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#channels.clear();
    await Promise.all(
      [this.#redis, this.#listener].map(async (connection) => {
        try {
          if (connection.status === 'ready') await connection.quit();
        } catch {
          // Already gone: nothing to close politely.
        }
        connection.disconnect();
      }),
    );
  }

  async #listen(channel: string, onMessage: (message: string) => void): Promise<Subscription> {
    const handler = (message: string) => onMessage(message);
    let handlers = this.#channels.get(channel);
    if (!handlers) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
    }
    const first = handlers.size === 0;
    handlers.add(handler);
    const forget = async () => {
      const current = this.#channels.get(channel);
      current?.delete(handler);
      if (current?.size !== 0) return;
      this.#channels.delete(channel);
      if (this.#listener.status !== 'ready') return;
      try {
        await this.#listener.unsubscribe(channel);
      } catch {
        // The connection just went; nothing is resubscribed for a channel without handlers.
      }
    };
    if (first) {
      try {
        await this.#run(() => this.#listener.subscribe(channel));
      } catch (error) {
        await forget();
        throw error;
      }
    }
    return { unsubscribe: forget };
  }

  #resubscribe(): void {
    const channels = [...this.#channels.keys()];
    if (channels.length === 0) return;
    this.#listener.subscribe(...channels).catch((error: unknown) => {
      this.#onProblem(`Redis: resubscribing failed: ${problemOf(error)}`);
    });
  }

  #watch(connection: Redis, role: string): void {
    let down = false;
    connection.on('error', (error: unknown) => {
      if (down) return;
      down = true;
      this.#onProblem(`Redis (${role}): ${problemOf(error)}`);
    });
    connection.on('close', () => {
      if (this.#closed || down) return;
      down = true;
      this.#onProblem(`Redis (${role}): connection lost; reconnecting`);
    });
    connection.on('ready', () => {
      if (down) this.#onProblem(`Redis (${role}): connected again`);
      down = false;
    });
  }

  async #script(name: Script, keys: string[], args: string[]): Promise<unknown> {
    return this.#run(async () => {
      try {
        return await this.#redis.evalsha(SCRIPT_SHAS[name], keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return this.#redis.eval(SCRIPT_SOURCES[name], keys.length, ...keys, ...args);
      }
    });
  }

  async #run<T>(command: () => Promise<T>): Promise<T> {
    // Redis just timed out (stuck, or far too slow): fail at once for a moment instead of making
    // every request wait out its own timeout, so lookups stay fast while Redis is stuck. (With the
    // connection down, commands fail at once anyway: there is no offline queue.)
    if (Date.now() < this.#failingUntil)
      throw new StoreUnavailableError('the store is unavailable (it failed a moment ago)');
    try {
      return await command();
    } catch (error) {
      if (isCommandError(error)) throw error;
      if (error instanceof Error && /timed out/i.test(error.message))
        this.#failingUntil = Date.now() + FAIL_FAST_MS;
      throw new StoreUnavailableError(`the store is unavailable: ${problemOf(error)}`);
    }
  }

  #key(key: string): string {
    return `${this.#prefix}k:${key}`;
  }
  #channel(channel: string): string {
    return `${this.#prefix}c:${channel}`;
  }
  #streamKey(key: string): string {
    return `${this.#prefix}s:${key}`;
  }
  #dedupeKey(key: string): string {
    return `${this.#prefix}sd:${key}`;
  }
  #metaKey(key: string): string {
    return `${this.#prefix}sm:${key}`;
  }
  #streamChannel(key: string): string {
    return `${this.#prefix}sc:${key}`;
  }
}

interface QueueCommands {
  script(script: Script, keys: string[], args: string[]): Promise<unknown>;
  hashAll(key: string): Promise<Record<string, string>>;
  /** The full name of a value or hash key. */
  key(key: string): string;
  /** ZCARD of the first key, HLEN of the second. */
  sizes(zset: string, hash: string): Promise<[number, number]>;
}

class RedisQueue implements DurableQueue {
  constructor(
    private readonly keys: [string, string, string],
    private readonly commands: QueueCommands,
  ) {}

  async add(jobs: readonly QueueJobInput[]): Promise<number> {
    if (jobs.length === 0) return 0;
    const args = jobs.flatMap((job) => [job.id, job.payload]);
    return Number(await this.commands.script('queueAdd', [...this.keys], args));
  }

  async claim(options: { max: number; leaseMs: number }): Promise<LeasedJob[]> {
    const [jobs, due] = this.keys;
    const reply = (await this.commands.script(
      'queueClaim',
      [jobs, due],
      [String(options.max), String(Math.max(1, Math.round(options.leaseMs))), randomUUID()],
    )) as [string, string, number, string][];
    return reply.map(([id, payload, attempts, lease]) => ({
      id: String(id),
      payload: String(payload),
      attempts: Number(attempts),
      lease: String(lease),
    }));
  }

  async complete(job: LeasedJob, record?: CompletionRecord): Promise<boolean> {
    const [jobs, due] = this.keys;
    const keys = [jobs, due];
    const args = [job.id, job.lease];
    if (record) {
      keys.push(this.commands.key(record.key));
      args.push(
        record.field,
        record.value,
        record.ttlMs === undefined ? '' : String(ttl(record.ttlMs)),
      );
    }
    return Number(await this.commands.script('queueComplete', keys, args)) === 1;
  }

  async retry(job: LeasedJob, delayMs: number): Promise<boolean> {
    const [jobs, due] = this.keys;
    const args = [job.id, job.lease, String(Math.max(0, Math.round(delayMs)))];
    return Number(await this.commands.script('queueRetry', [jobs, due], args)) === 1;
  }

  async bury(job: LeasedJob, reason: string): Promise<boolean> {
    return (
      Number(
        await this.commands.script('queueBury', [...this.keys], [job.id, job.lease, reason]),
      ) === 1
    );
  }

  async dead(): Promise<DeadJob[]> {
    const raw = await this.commands.hashAll(this.keys[2]);
    return Object.entries(raw)
      .map(([id, json]): DeadJob => {
        const dead = JSON.parse(json) as { p: string; a: number; r: string; t: number };
        return { id, payload: dead.p, attempts: dead.a, reason: dead.r, diedAt: dead.t };
      })
      .sort((a, b) => a.diedAt - b.diedAt);
  }

  async replay(ids?: readonly string[]): Promise<number> {
    return Number(await this.commands.script('queueReplay', [...this.keys], [...(ids ?? [])]));
  }

  async counts(): Promise<{ queued: number; dead: number }> {
    const [queued, dead] = await this.commands.sizes(this.keys[1], this.keys[2]);
    return { queued, dead };
  }

  async nextDueInMs(): Promise<number | undefined> {
    const wait = Number(await this.commands.script('queueNextDue', [this.keys[1]], []));
    return wait < 0 ? undefined : wait;
  }
}

function toEntry(key: string, rawId: string, fields: string[]): StreamEntry {
  const values: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2)
    values[fields[i] as string] = fields[i + 1] as string;
  return {
    id: rawId.split('-')[0] as string,
    key,
    value: values.v ?? '',
    at: Number(values.t ?? 0),
  };
}

function parseAnnounced(message: string): StreamEntry | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<StreamEntry>;
    if (typeof parsed.id !== 'string' || typeof parsed.key !== 'string') return undefined;
    return {
      id: parsed.id,
      key: parsed.key,
      value: String(parsed.value ?? ''),
      at: Number(parsed.at ?? 0),
    };
  } catch {
    return undefined;
  }
}

function connectionOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  if (parsed.protocol === 'unix:') {
    const db = Number(parsed.searchParams.get('db') ?? 0);
    return { path: decodeURIComponent(parsed.pathname), db };
  }
  const tls = parsed.protocol === 'rediss:';
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(tls ? { tls: { servername: parsed.hostname } } : {}),
  };
}

/** Redis wants whole, positive milliseconds. */
function ttl(ms: number): number {
  return Math.max(1, Math.round(ms));
}

/** A Redis reply error that is the command's fault (a bug here), not the store's state. */
function isCommandError(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ReplyError' &&
    !TRANSIENT_REPLY.test(error.message) &&
    !error.message.startsWith('NOSCRIPT')
  );
}

/** An error's message without anything that could be a URL or a password. */
function problemOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\w+:\/\/\S+/g, '(url)').slice(0, 200);
}
