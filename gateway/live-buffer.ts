import { formatIdentity } from '../shared/identity';
import type { ActivityEvent, Identity } from '../shared/model';
import { isNewerThan, newestFirst } from './activity-order';
import { MemoryStore } from './store/memory-store';
import type { Store, StreamCaps, StreamEntry, Subscription } from './store/store';

/**
 * Recent web events per identity, as collected by POST /v1/collect, and their live delivery to
 * open activity streams on every replica. Kept in the gateway's store, one capped stream per
 * identity: every event gets an id from the store (ordered across identities), which is the
 * activity stream's SSE `id`, so a client that reconnects with `Last-Event-ID` to any replica
 * gets what it missed (docs/architecture.md, "The gateway").
 */
export interface LiveBuffer {
  /**
   * Appends events; an event whose id the identity already has is skipped, so a site may safely
   * retry. Resolves the events kept, each with its buffer id.
   */
  append(identity: Identity, events: ActivityEvent[]): Promise<BufferedEvent[]>;
  /** Events of any of the identities newer than `since`, newest first, each id once. */
  since(identities: Identity[], since?: Date): Promise<ActivityEvent[]>;
  /**
   * Calls `onEvent` for each event appended to any of the identities from now on, in buffer-id
   * order; with `after` (a buffer id), first for those the buffer kept after it.
   */
  follow(
    identities: Identity[],
    options: { after?: string },
    onEvent: (event: BufferedEvent) => void,
  ): Promise<Subscription>;
  /** The buffer id of the latest event appended (any identity); "0" when none. */
  head(): Promise<string>;
}

export interface BufferedEvent {
  /** The buffer's id: a decimal number, greater for later events. */
  bufferId: string;
  event: ActivityEvent;
}

export interface LiveBufferLimits {
  maxEventsPerIdentity: number;
  maxAgeMs: number;
  maxBytesPerIdentity: number;
  /** Every identity's events together; past it, the identities appended to longest ago go. */
  maxBytes: number;
}

export const DEFAULT_LIVE_BUFFER_LIMITS: LiveBufferLimits = {
  maxEventsPerIdentity: 500,
  maxAgeMs: 24 * 60 * 60 * 1000,
  maxBytesPerIdentity: 256 * 1024,
  maxBytes: 64 * 1024 * 1024,
};

const KEY_PREFIX = 'live:';

/** The live buffer in any store (memory for one process, Redis for replicas). */
export class StoreLiveBuffer implements LiveBuffer {
  readonly #store: Store;
  readonly #limits: LiveBufferLimits;
  readonly #caps: StreamCaps;
  readonly #now: () => number;

  constructor(store: Store, limits: Partial<LiveBufferLimits> = {}, now: () => number = Date.now) {
    this.#store = store;
    this.#limits = { ...DEFAULT_LIVE_BUFFER_LIMITS, ...limits };
    this.#now = now;
    this.#caps = {
      maxLength: this.#limits.maxEventsPerIdentity,
      maxAgeMs: this.#limits.maxAgeMs,
      maxBytes: this.#limits.maxBytesPerIdentity,
      budget: { group: 'live', maxBytes: this.#limits.maxBytes },
    };
  }

  async append(identity: Identity, events: ActivityEvent[]): Promise<BufferedEvent[]> {
    if (events.length === 0) return [];
    // Oldest first, so that the stream's own order (which its caps trim by) is the events' time.
    const ordered = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const entries = ordered.map((event) => ({ value: JSON.stringify(event), dedupeId: event.id }));
    const kept = await this.#store.streamAppend(keyOf(identity), entries, this.#caps);
    return kept.flatMap((entry) => toBuffered(entry));
  }

  async since(identities: Identity[], since?: Date): Promise<ActivityEvent[]> {
    if (identities.length === 0) return [];
    const entries = await this.#store.streamRead(identities.map(keyOf));
    const oldest = this.#now() - this.#limits.maxAgeMs;
    const events = entries
      .flatMap((entry) => toBuffered(entry))
      .map(({ event }) => event)
      .filter((event) => Date.parse(event.at) >= oldest && isNewerThan(event, since));
    return newestFirst(events);
  }

  follow(
    identities: Identity[],
    options: { after?: string },
    onEvent: (event: BufferedEvent) => void,
  ): Promise<Subscription> {
    const keys = [...new Set(identities.map(keyOf))];
    return this.#store.followStreams(keys, options, (entry) => {
      for (const buffered of toBuffered(entry)) onEvent(buffered);
    });
  }

  head(): Promise<string> {
    return this.#store.streamHead();
  }
}

/** A live buffer of its own, in memory: for tools and tests that run without a gateway store. */
export class MemoryLiveBuffer extends StoreLiveBuffer {
  constructor(limits: Partial<LiveBufferLimits> = {}, now: () => number = Date.now) {
    super(new MemoryStore({ now }), limits, now);
  }
}

function keyOf(identity: Identity): string {
  return `${KEY_PREFIX}${formatIdentity(identity)}`;
}

function toBuffered(entry: StreamEntry): BufferedEvent[] {
  try {
    const event = JSON.parse(entry.value) as ActivityEvent;
    if (typeof event?.id !== 'string' || typeof event.at !== 'string') return [];
    return [{ bufferId: entry.id, event }];
  } catch {
    return [];
  }
}
