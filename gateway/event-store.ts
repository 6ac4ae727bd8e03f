import type { Store } from './store/store';

/**
 * An event as the ledger keeps it: what was posted to `POST /v1/events`, any JSON object with its
 * own `id`. With sinks configured it is a checked `AfterCallEvent` (shared/after-call.ts) plus the
 * gateway's agent stamp; without, the gateway keeps whatever object came.
 */
export interface LedgerEvent {
  id: string;
  [key: string]: unknown;
}

/** The agent who logged an after-call event, as the gateway stamps it for the sinks. */
export interface AgentStamp {
  /** The principal: `oidc:<sub>` or a static token's name. */
  id: string;
  name?: string;
  email?: string;
}

/** A ledger entry: the event as taken, when, and who logged it. */
export interface LedgerEntry {
  event: LedgerEvent;
  receivedAt: string;
  agent: AgentStamp;
}

/** What one delivery job carries: everything needed to deliver, with no other read. */
export interface DeliveryJob {
  /** The ledger key, for the record of which sink took it. */
  ledger: string;
  sink: string;
  event: LedgerEvent;
}

export const DELIVERY_QUEUE = 'deliveries';
/** The log of events taken, in order: what `list` reads. */
const LOG_KEY = 'ledger-log';
const LOG_CAPS = { maxLength: 100_000, maxBytes: 64 * 1024 * 1024 };
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * After-call events by their client-made id, kept in the gateway's store. The outbox retries
 * until it sees a 202, so the same event arrives many times, on any replica; it counts once.
 * Ids are scoped by the principal that posted them, so no one can pre-claim another's id. Taking
 * an event and queueing one delivery job per sink happen in one atomic step (`putIfAbsent`), so
 * a 202 means the event is stored and will be delivered, whatever happens to this process next.
 */
export class EventLedger {
  readonly #store: Store;
  readonly #retentionMs: number;

  constructor(store: Store, retentionMs = DEFAULT_RETENTION_MS) {
    this.#store = store;
    this.#retentionMs = retentionMs;
  }

  async put(
    event: LedgerEvent,
    agent: AgentStamp,
    sinks: readonly string[],
    now: Date = new Date(),
  ): Promise<{ duplicate: boolean }> {
    const ledger = ledgerKey(agent.id, event.id);
    const entry: LedgerEntry = { event, receivedAt: now.toISOString(), agent };
    const jobs = sinks.map((sink) => {
      const job: DeliveryJob = { ledger, sink, event };
      return { id: `${ledger}>${sink}`, payload: JSON.stringify(job) };
    });
    const created = await this.#store.putIfAbsent(ledger, JSON.stringify(entry), {
      ttlMs: this.#retentionMs,
      ...(jobs.length > 0 ? { enqueue: { queue: DELIVERY_QUEUE, jobs } } : {}),
    });
    if (created) {
      await this.#store.streamAppend(
        LOG_KEY,
        [{ value: JSON.stringify(event), dedupeId: ledger }],
        {
          ...LOG_CAPS,
          maxAgeMs: this.#retentionMs,
        },
      );
    }
    return { duplicate: !created };
  }

  /** Events taken, oldest first, as far as the ledger's log keeps them (operators, tests). */
  async list(): Promise<LedgerEvent[]> {
    const entries = await this.#store.streamRead([LOG_KEY]);
    return entries.map((entry) => JSON.parse(entry.value) as LedgerEvent);
  }

  async get(principal: string, id: string): Promise<LedgerEntry | undefined> {
    const text = await this.#store.get(ledgerKey(principal, id));
    return text === undefined ? undefined : (JSON.parse(text) as LedgerEntry);
  }

  /** The sinks that took the event, each with when (ISO 8601). */
  async deliveredTo(principal: string, id: string): Promise<Record<string, string>> {
    return this.#store.hashGetAll(deliveredKey(ledgerKey(principal, id)));
  }

  get retentionMs(): number {
    return this.#retentionMs;
  }
}

export function ledgerKey(principal: string, id: string): string {
  return `ledger:${principal}:${id}`;
}

export function deliveredKey(ledger: string): string {
  return `delivered:${ledger}`;
}
