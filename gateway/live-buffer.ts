import { formatIdentity } from '../shared/identity';
import type { ActivityEvent, Identity } from '../shared/model';
import { isNewerThan, newestFirst } from './activity-order';

/**
 * Recent web events per identity, as collected by POST /v1/collect, and their live delivery to
 * open activity streams. Async because the multi-process implementation (Redis Streams) will be.
 */
export interface LiveBuffer {
  /** Events whose id the identity already has are ignored, so a site may safely retry. */
  append(identity: Identity, events: ActivityEvent[]): Promise<void>;
  /** Events of any of the identities newer than `since`, newest first, each id once. */
  since(identities: Identity[], since?: Date): Promise<ActivityEvent[]>;
  /** Calls `onEvent` for each event appended to any of the identities; returns the unsubscribe. */
  subscribe(identities: Identity[], onEvent: (event: ActivityEvent) => void): () => void;
}

export interface LiveBufferLimits {
  maxEventsPerIdentity: number;
  maxAgeMs: number;
  maxIdentities: number;
}

export const DEFAULT_LIVE_BUFFER_LIMITS: LiveBufferLimits = {
  maxEventsPerIdentity: 500,
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxIdentities: 50_000,
};

type Listener = (event: ActivityEvent) => void;

/** One process's live buffer; bounded so that a busy site cannot exhaust the gateway's memory. */
export class MemoryLiveBuffer implements LiveBuffer {
  readonly #limits: LiveBufferLimits;
  readonly #now: () => number;
  /** Newest first per identity; Map order is least recently appended first, for eviction. */
  readonly #events = new Map<string, ActivityEvent[]>();
  readonly #listeners = new Map<string, Set<Listener>>();

  constructor(limits: Partial<LiveBufferLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...DEFAULT_LIVE_BUFFER_LIMITS, ...limits };
    this.#now = now;
  }

  async append(identity: Identity, events: ActivityEvent[]): Promise<void> {
    const key = formatIdentity(identity);
    const kept = this.#events.get(key) ?? [];
    const known = new Set(kept.map((event) => event.id));
    const fresh = events.filter((event) => {
      if (known.has(event.id)) return false;
      known.add(event.id);
      return true;
    });
    const stored = this.#withinLimits([...fresh, ...kept]);
    this.#events.delete(key);
    this.#events.set(key, stored);
    this.#evictIdentities();

    const storedIds = new Set(stored.map((event) => event.id));
    const listeners = this.#listeners.get(key);
    if (!listeners) return;
    for (const event of fresh) {
      if (!storedIds.has(event.id)) continue;
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // A broken subscriber (a stream that just closed) must not stop the others.
        }
      }
    }
  }

  async since(identities: Identity[], since?: Date): Promise<ActivityEvent[]> {
    const events: ActivityEvent[] = [];
    for (const identity of identities) {
      const key = formatIdentity(identity);
      const stored = this.#events.get(key);
      if (!stored) continue;
      const fresh = this.#withinLimits(stored);
      if (fresh.length === 0) this.#events.delete(key);
      else if (fresh.length !== stored.length) this.#events.set(key, fresh);
      events.push(...fresh.filter((event) => isNewerThan(event, since)));
    }
    return newestFirst(events);
  }

  subscribe(identities: Identity[], onEvent: Listener): () => void {
    const keys = [...new Set(identities.map(formatIdentity))];
    for (const key of keys) {
      let listeners = this.#listeners.get(key);
      if (!listeners) {
        listeners = new Set();
        this.#listeners.set(key, listeners);
      }
      listeners.add(onEvent);
    }
    return () => {
      for (const key of keys) {
        const listeners = this.#listeners.get(key);
        listeners?.delete(onEvent);
        if (listeners?.size === 0) this.#listeners.delete(key);
      }
    };
  }

  /** Identities with at least one open subscription (lets tests see that streams clean up). */
  get subscribedIdentityCount(): number {
    return this.#listeners.size;
  }

  #withinLimits(events: ActivityEvent[]): ActivityEvent[] {
    const oldest = this.#now() - this.#limits.maxAgeMs;
    return newestFirst(events, this.#limits.maxEventsPerIdentity).filter(
      (event) => Date.parse(event.at) >= oldest,
    );
  }

  #evictIdentities(): void {
    for (const key of this.#events.keys()) {
      if (this.#events.size <= this.#limits.maxIdentities) return;
      this.#events.delete(key);
    }
  }
}
