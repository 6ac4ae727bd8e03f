import type { AfterCallEvent } from '../shared/after-call';
import { DELIVERY_QUEUE, type DeliveryJob, deliveredKey } from './event-store';
import type { Logger } from './request-log';
import { isPermanentFailure, type SinkForwarder } from './sink-forwarder';
import { type DurableQueue, isStoreUnavailable, type LeasedJob, type Store } from './store/store';

export interface DeliveryOptions {
  store: Store;
  sinks: SinkForwarder;
  /** Every configured sink's id: a job for one sink passes the others as "done". */
  sinkIds: readonly string[];
  logger: Logger;
  /** How long a claimed job is ours; longer than the slowest delivery (token + request). */
  leaseMs?: number;
  /** Claims before a job goes to the dead-letter list. */
  maxAttempts?: number;
  /** Longest wait between looks at the queue (retries due, leases run out elsewhere). */
  pollMs?: number;
  /** Jobs delivered at once by this replica. */
  concurrency?: number;
  /** How long the delivery record of each sink is kept (the ledger's retention). */
  recordTtlMs?: number;
  /** Backoff before attempt n + 1; jittered by default. */
  backoffMs?: (attempts: number) => number;
}

const DEFAULTS = {
  leaseMs: 60_000,
  maxAttempts: 15,
  pollMs: 1000,
  concurrency: 8,
  recordTtlMs: 7 * 24 * 60 * 60 * 1000,
};
const MAX_BACKOFF_MS = 5 * 60_000;

type Settings = Required<DeliveryOptions>;

/** About 1 s, doubling to 5 minutes, with jitter, as the extension's outbox backs off. */
export function deliveryBackoff(attempts: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.5 + Math.random() / 2));
}

/**
 * Delivers after-call events to the sinks from the store's durable queue, on every replica at
 * once: each job (one event, one sink) is leased by one replica at a time. A replica that dies
 * mid-delivery leaves its lease to run out, and another replica delivers. A job is removed only
 * when its sink took the event, and only by the lease holder; a failed delivery is retried with
 * backoff, and after `maxAttempts` (or a refusal that retrying cannot cure) it goes to the
 * dead-letter list, where `npm run dead-letters` shows and replays it.
 *
 * What "once" means: a sink is sent an event again only if a replica died (or lost Redis) after
 * the sink took it and before the job was marked done; the event keeps its id, by which every
 * sink deduplicates (Adobe `_id`, Segment `messageId`, Unomi `itemId`, Dynamics `activityid`).
 */
export class DeliveryWorker {
  readonly #options: Settings;
  readonly #queue: DurableQueue;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #kicked = false;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: DeliveryOptions) {
    this.#options = {
      ...DEFAULTS,
      backoffMs: deliveryBackoff,
      ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
    } as Settings;
    this.#queue = options.store.queue(DELIVERY_QUEUE);
  }

  /** Starts delivering in the background until `stop`. */
  start(): void {
    if (this.#running || this.#options.sinkIds.length === 0) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Looks at the queue now (an event was just queued on this replica). */
  kick(): void {
    this.#kicked = true;
    this.#wake?.();
  }

  /** Stops claiming, and waits for deliveries in flight (their leases would run out anyway). */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    await Promise.all(this.#inFlight);
  }

  /**
   * Delivers every job due now, once, and resolves how many were handled (serverless runtimes,
   * where nothing runs between requests, call this on a schedule).
   */
  async drain(): Promise<number> {
    let handled = 0;
    for (;;) {
      const jobs = await this.#queue.claim({
        max: this.#options.concurrency,
        leaseMs: this.#options.leaseMs,
      });
      if (jobs.length === 0) return handled;
      await Promise.all(jobs.map((job) => this.#deliver(job)));
      handled += jobs.length;
    }
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      this.#kicked = false;
      let wait = this.#options.pollMs;
      try {
        const room = this.#options.concurrency - this.#inFlight.size;
        const jobs =
          room > 0 ? await this.#queue.claim({ max: room, leaseMs: this.#options.leaseMs }) : [];
        for (const job of jobs) this.#track(this.#deliver(job));
        failures = 0;
        if (jobs.length === room && room > 0) wait = 0;
        else if (jobs.length === 0) {
          const next = await this.#queue.nextDueInMs();
          if (next !== undefined) wait = Math.min(wait, Math.max(next, 5));
        }
      } catch (error) {
        failures += 1;
        if (!isStoreUnavailable(error)) this.#options.logger.error('delivery: unexpected', error);
        // The store is down: look again later, backing off to 5 s; jobs wait in the store.
        wait = Math.min(5000, 250 * 2 ** Math.min(failures, 5));
      }
      if (wait > 0 && this.#running && !this.#kicked) await this.#sleep(wait);
    }
  }

  #track(delivery: Promise<void>): void {
    this.#inFlight.add(delivery);
    delivery.finally(() => {
      this.#inFlight.delete(delivery);
      // A slot came free: there may be more due.
      this.#wake?.();
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  async #deliver(leased: LeasedJob): Promise<void> {
    const { logger, sinks, sinkIds, maxAttempts } = this.#options;
    let job: DeliveryJob;
    try {
      job = JSON.parse(leased.payload) as DeliveryJob;
    } catch {
      await this.#settle(() => this.#queue.bury(leased, 'unreadable job'));
      return;
    }
    const fields = { event: job.event.id, sink: job.sink, attempt: leased.attempts };
    if (!sinkIds.includes(job.sink)) {
      logger.error('delivery: the sink is no longer configured', undefined, fields);
      await this.#settle(() => this.#queue.bury(leased, `sink ${job.sink} is not configured`));
      return;
    }
    let failure: { message: string; permanent: boolean } | undefined;
    try {
      const others = new Set(sinkIds.filter((id) => id !== job.sink));
      // Checked by parseAfterCallEvent when it was taken (POST /v1/events with sinks).
      const event = job.event as unknown as AfterCallEvent;
      const result = await sinks.forward(event, others);
      const failed = result.failures.find((f) => f.sink === job.sink);
      if (failed) failure = { message: failed.message, permanent: isPermanentFailure(failed) };
    } catch (error) {
      failure = {
        message: error instanceof Error ? error.message : String(error),
        permanent: false,
      };
    }
    if (!failure) {
      const record = {
        key: deliveredKey(job.ledger),
        field: job.sink,
        value: new Date().toISOString(),
        ttlMs: this.#options.recordTtlMs,
      };
      const done = await this.#settle(() => this.#queue.complete(leased, record));
      logger.info('delivered', { ...fields, recorded: done });
      return;
    }
    if (failure.permanent || leased.attempts >= maxAttempts) {
      await this.#settle(() => this.#queue.bury(leased, failure.message));
      logger.error('delivery failed for good: in the dead-letter list', undefined, {
        ...fields,
        reason: failure.message,
      });
      return;
    }
    const delay = this.#options.backoffMs(leased.attempts);
    await this.#settle(() => this.#queue.retry(leased, delay));
    logger.info('delivery failed; will retry', { ...fields, reason: failure.message, inMs: delay });
  }

  /** A queue update that fails (store down) is left to the lease running out. */
  async #settle(update: () => Promise<boolean>): Promise<boolean> {
    try {
      return await update();
    } catch (error) {
      if (!isStoreUnavailable(error)) this.#options.logger.error('delivery: unexpected', error);
      return false;
    }
  }
}
