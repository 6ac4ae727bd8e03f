/** An after-call event as the extension's outbox sends it: any JSON object with its own `id`. */
export interface AfterCallEvent {
  id: string;
  [key: string]: unknown;
}

/**
 * After-call events by their client-made id. The outbox retries until it sees a 202, so the same
 * event can arrive many times; it must count once.
 */
export interface EventStore {
  put(event: AfterCallEvent): Promise<{ duplicate: boolean }>;
  get(id: string): Promise<AfterCallEvent | undefined>;
  /** Events still held, oldest first. */
  list(): Promise<AfterCallEvent[]>;
  /** The sinks that already took the event (forwarding happens once per sink and id). */
  deliveredTo(id: string): Promise<Set<string>>;
  markDelivered(id: string, sinks: readonly string[]): Promise<void>;
}

export interface EventStoreLimits {
  /** Ids are remembered at least this long, unless more than `maxIds` arrive in that time. */
  retentionMs: number;
  maxIds: number;
  /**
   * Budget for the events' bodies (JSON length). Past it the oldest bodies are dropped while
   * their ids are still remembered, so retries stay duplicates without 100k large notes in memory.
   */
  maxBodyChars: number;
}

export const DEFAULT_EVENT_STORE_LIMITS: EventStoreLimits = {
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  maxIds: 100_000,
  maxBodyChars: 64 * 1024 * 1024,
};

interface Entry {
  receivedAt: number;
  event: AfterCallEvent | undefined;
  size: number;
  sinks: Set<string>;
}

export class MemoryEventStore implements EventStore {
  readonly #limits: EventStoreLimits;
  readonly #now: () => number;
  /** In arrival order, so the first entries are the ones to expire. */
  readonly #entries = new Map<string, Entry>();
  #bodyChars = 0;

  constructor(limits: Partial<EventStoreLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...DEFAULT_EVENT_STORE_LIMITS, ...limits };
    this.#now = now;
  }

  async put(event: AfterCallEvent): Promise<{ duplicate: boolean }> {
    this.#expire();
    if (this.#entries.has(event.id)) return { duplicate: true };
    const size = JSON.stringify(event).length;
    this.#entries.set(event.id, { receivedAt: this.#now(), event, size, sinks: new Set() });
    this.#bodyChars += size;
    this.#enforceBounds();
    return { duplicate: false };
  }

  async get(id: string): Promise<AfterCallEvent | undefined> {
    this.#expire();
    return this.#entries.get(id)?.event;
  }

  async list(): Promise<AfterCallEvent[]> {
    this.#expire();
    return [...this.#entries.values()].flatMap((entry) => (entry.event ? [entry.event] : []));
  }

  async deliveredTo(id: string): Promise<Set<string>> {
    return new Set(this.#entries.get(id)?.sinks);
  }

  async markDelivered(id: string, sinks: readonly string[]): Promise<void> {
    const entry = this.#entries.get(id);
    for (const sink of sinks) entry?.sinks.add(sink);
  }

  #expire(): void {
    const oldest = this.#now() - this.#limits.retentionMs;
    for (const [id, entry] of this.#entries) {
      if (entry.receivedAt >= oldest) return;
      this.#remove(id, entry);
    }
  }

  #enforceBounds(): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.#limits.maxIds) break;
      this.#remove(id, entry);
    }
    for (const entry of this.#entries.values()) {
      if (this.#bodyChars <= this.#limits.maxBodyChars) break;
      if (!entry.event) continue;
      entry.event = undefined;
      this.#bodyChars -= entry.size;
    }
  }

  #remove(id: string, entry: Entry): void {
    this.#entries.delete(id);
    if (entry.event) this.#bodyChars -= entry.size;
  }
}
