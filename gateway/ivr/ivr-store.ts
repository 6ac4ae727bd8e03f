/**
 * What the IVR and presence keep between requests: values by key, each with its own lifetime.
 * These are the value operations of the gateway's store (gateway/store/store.ts), so the shared
 * store (memory or Redis) serves here as it is and every replica sees the same presence,
 * prefetched contexts and manager choices (docs/architecture.md, "The gateway").
 */
export interface IvrStore {
  get(key: string): Promise<string | undefined>;
  /** Several values in one round trip, in the order of `keys`. */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<unknown>;
  delete(keys: readonly string[]): Promise<void>;
}

/** Entries a memory store keeps at most; past it the oldest written go first. */
const MAX_MEMORY_ENTRIES = 100_000;

interface MemoryEntry {
  value: string;
  /** ms since the epoch, or Infinity. */
  expiresAt: number;
}

/**
 * One process's values, for unit tests and for a gateway run without the shared store. The clock
 * is injected, so expiry can be tested without waiting.
 */
export class MemoryIvrStore implements IvrStore {
  readonly #entries = new Map<string, MemoryEntry>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(now: () => number = Date.now, maxEntries = MAX_MEMORY_ENTRIES) {
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  async get(key: string): Promise<string | undefined> {
    return this.#read(key);
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return keys.map((key) => this.#read(key));
  }

  async set(key: string, value: string, options: { ttlMs?: number } = {}): Promise<boolean> {
    const { ttlMs } = options;
    this.#entries.delete(key);
    this.#entries.set(key, {
      value,
      expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : this.#now() + ttlMs,
    });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries) break;
      this.#entries.delete(oldest);
    }
    return true;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.#entries.delete(key);
  }

  #read(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }
}

/** A stored JSON value, or undefined when missing or unreadable (written by an older version). */
export function parseStored<T>(text: string | undefined, check: (value: unknown) => T | undefined) {
  if (text === undefined) return undefined;
  try {
    return check(JSON.parse(text));
  } catch {
    return undefined;
  }
}
