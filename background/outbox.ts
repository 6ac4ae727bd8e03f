import type { IDBPTransaction } from 'idb';
import type { AfterCallEvent, OutboxStatus } from '../shared/after-call';
import type { ExtensionConfig } from '../shared/config';
import type { Problem } from '../shared/problem';
import { backoffDelay, parseRetryAfter } from './backoff';
import type { CallerContextDB, Database } from './db';
import type { FetchLike } from './gateway-client';
import type { OutboxEntry, OutboxGate } from './outbox-entry';

/** Delivered events stay this long (the agent sees them as sent; an audit can read them). */
export const KEEP_SENT_MS = 7 * 24 * 3600_000;
/** One send may take this long before it counts as failed. */
export const SEND_TIMEOUT_MS = 15_000;
/** A claimed event is held this long: longer than a send can take, short enough to recover. */
export const LEASE_MS = SEND_TIMEOUT_MS + 5_000;
/**
 * Events sent at once (Chromium keeps 6 connections per host; the rest wait in its queue), each
 * leased first, their outcomes committed together.
 */
export const SEND_CONCURRENCY = 48;
const FAILED_SHOWN = 50;
const GATE_KEY = 'gate';

export interface OutboxDeps {
  db: Database | Promise<Database>;
  gateway: () => Promise<Pick<ExtensionConfig, 'gatewayUrl' | 'gatewayToken'>>;
  fetch?: FetchLike;
  /** Milliseconds since the epoch. */
  now?: () => number;
  random?: () => number;
  /** Asks to be woken (a timer and a `chrome.alarms` alarm) at this time, or never (null). */
  wake(at: number | null): void;
  /** Something the sidebar shows changed. */
  changed?(): void;
  /** Names this worker's leases (a new one per worker start). */
  holder?: string;
}

export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; delayMs?: number; error: string; problem: Problem }
  | { kind: 'refused'; error: string; problem: Problem };

/**
 * The outbox: after-call events from "Log call" until the gateway has them, surviving worker
 * restarts, browser restarts and gateway outages. Every state lives in IndexedDB; this module
 * keeps nothing in memory between calls.
 */
export function createOutbox(deps: OutboxDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  const holder = deps.holder ?? crypto.randomUUID();
  const changed = () => deps.changed?.();

  /** Takes up to `limit` due events no live lease holds, and leases them to this worker. */
  const claim = async (limit: number): Promise<OutboxEntry[]> => {
    const db = await deps.db;
    const at = now();
    const tx = db.transaction('outbox', 'readwrite');
    const claimed: OutboxEntry[] = [];
    let cursor = await tx.store
      .index('byStatusAt')
      .openCursor(IDBKeyRange.bound(['pending', 0], ['pending', at]));
    while (cursor && claimed.length < limit) {
      const entry = cursor.value;
      if (entry.leaseUntil <= at) {
        const leased = { ...entry, leaseUntil: at + LEASE_MS, leaseBy: holder };
        await cursor.update(leased);
        claimed.push(leased);
      }
      cursor = await cursor.continue();
    }
    await tx.done;
    return claimed;
  };

  const readGate = async (): Promise<OutboxGate> =>
    (await (await deps.db).get('outboxState', GATE_KEY)) ?? { failures: 0, pauseUntil: 0 };

  const send = async (
    event: AfterCallEvent,
    gateway: Pick<ExtensionConfig, 'gatewayUrl' | 'gatewayToken'>,
  ): Promise<SendOutcome> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (gateway.gatewayToken) headers.authorization = `Bearer ${gateway.gatewayToken}`;
    let response: Response;
    try {
      response = await fetchImpl(`${gateway.gatewayUrl}/v1/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return timedOut
        ? {
            kind: 'retry',
            error: `The gateway did not answer within ${SEND_TIMEOUT_MS / 1000} s.`,
            problem: { code: 'gatewayTimeout', params: { seconds: SEND_TIMEOUT_MS / 1000 } },
          }
        : {
            kind: 'retry',
            error: `Cannot reach the gateway at ${gateway.gatewayUrl}.`,
            problem: { code: 'gatewayUnreachable', params: { url: gateway.gatewayUrl } },
          };
    }
    const detail = await errorDetail(response);
    if (response.ok) return { kind: 'sent' };
    const status = response.status;
    const error = `The gateway answered ${status}${detail ? `: ${detail}` : ''}.`;
    const problem: Problem = detail
      ? { code: 'gatewayStatusDetail', params: { status: String(status), detail } }
      : { code: 'gatewayStatus', params: { status: String(status) } };
    // 408 and 429 say "later"; so does every 5xx. Any other 4xx will not change by retrying.
    if (status === 408 || status === 429 || status >= 500) {
      const delayMs = parseRetryAfter(response.headers.get('retry-after'), now());
      return { kind: 'retry', error, problem, ...(delayMs !== undefined ? { delayMs } : {}) };
    }
    return { kind: 'refused', error, problem };
  };

  /**
   * Records the outcomes of one batch in one transaction, with `strict` durability: a lost "sent"
   * would mean a resend (harmless, the gateway drops repeats), a lost failure a lost backoff.
   */
  const settle = async (batch: { entry: OutboxEntry; outcome: SendOutcome }[]): Promise<void> => {
    const db = await deps.db;
    const at = now();
    const tx = db.transaction(['outbox', 'outboxState'], 'readwrite', { durability: 'strict' });
    const store = tx.objectStore('outbox');
    const gates = tx.objectStore('outboxState');
    const gate = (await gates.get(GATE_KEY)) ?? { failures: 0, pauseUntil: 0 };
    let nextGate: OutboxGate | null = null;
    for (const { entry, outcome } of batch) {
      const current = await store.get(entry.id);
      if (current?.status !== 'pending') continue;
      const attempts = current.attempts + 1;
      if (outcome.kind === 'sent') {
        await store.put(released({ ...current, status: 'sent', at, attempts }));
        if (gate.failures > 0 && !nextGate) nextGate = { failures: 0, pauseUntil: 0 };
      } else if (outcome.kind === 'refused') {
        await store.put(
          released({
            ...current,
            status: 'failed',
            at,
            attempts,
            lastError: outcome.error,
            lastProblem: outcome.problem,
          }),
        );
      } else {
        // Sends of one batch fail together: that is one failure of the gateway, not several.
        if (!nextGate || nextGate.failures === 0) {
          const failures = gate.failures + 1;
          const pauseUntil = at + (outcome.delayMs ?? backoffDelay(failures, random));
          nextGate = {
            failures,
            pauseUntil,
            lastError: outcome.error,
            lastProblem: outcome.problem,
          };
        }
        await store.put(
          released({
            ...current,
            at: nextGate.pauseUntil,
            attempts,
            lastError: outcome.error,
            lastProblem: outcome.problem,
          }),
        );
      }
    }
    if (nextGate) await gates.put(nextGate, GATE_KEY);
    await tx.done;
  };

  /** Gives back leases of claimed events this worker will not send now. */
  const release = async (entries: OutboxEntry[]): Promise<void> => {
    if (entries.length === 0) return;
    const db = await deps.db;
    const tx = db.transaction('outbox', 'readwrite');
    for (const entry of entries) {
      const current = await tx.store.get(entry.id);
      if (current?.status === 'pending' && current.leaseBy === holder)
        await tx.store.put(released(current));
    }
    await tx.done;
  };

  /** When the outbox must next look again: the pause's end, or the earliest due event. */
  const nextWake = async (): Promise<number | null> => {
    const db = await deps.db;
    const gate = await readGate();
    const range = IDBKeyRange.bound(['pending', -Infinity], ['pending', Infinity]);
    let earliest: number | null = null;
    let cursor = await db.transaction('outbox').store.index('byStatusAt').openCursor(range);
    // The index is ordered by due time; a few entries suffice (held ones are due at lease end).
    for (let seen = 0; cursor && seen < SEND_CONCURRENCY * 2; seen++) {
      const due = Math.max(cursor.value.at, cursor.value.leaseUntil);
      earliest = earliest === null ? due : Math.min(earliest, due);
      cursor = await cursor.continue();
    }
    if (earliest === null) return null;
    return Math.max(earliest, gate.pauseUntil);
  };

  const purgeSent = async (): Promise<void> => {
    const db = await deps.db;
    const tx = db.transaction('outbox', 'readwrite');
    const old = IDBKeyRange.bound(['sent', -Infinity], ['sent', now() - KEEP_SENT_MS]);
    let cursor = await tx.store.index('byStatusAt').openCursor(old);
    while (cursor) {
      await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  };

  let draining: Promise<void> | null = null;
  /** Asked to drain while a drain ran: it may have looked before the newest event was there. */
  let again = false;

  const drainOnce = async (): Promise<void> => {
    await purgeSent();
    for (;;) {
      const gate = await readGate();
      if (gate.pauseUntil > now()) break;
      const batch = await claim(SEND_CONCURRENCY);
      if (batch.length === 0) break;
      // The first batch after an outage is one event: a probe, so a still-failing gateway
      // costs one request per backoff step instead of a whole batch.
      const probing = gate.failures > 0;
      const sending = probing ? batch.slice(0, 1) : batch;
      await release(batch.slice(sending.length));
      const gateway = await deps.gateway();
      const outcomes = await Promise.all(sending.map((entry) => send(entry.event, gateway)));
      await settle(sending.map((entry, i) => ({ entry, outcome: outcomes[i] as SendOutcome })));
      changed();
      if (outcomes.some((o) => o.kind === 'retry')) break;
    }
    deps.wake(await nextWake());
  };

  return {
    /**
     * Commits an event durably; resolves only after the commit, so "saved" is true when shown.
     * The same id twice is one event (a resent "Log call" after a worker restart). `also` writes
     * to other stores in the same transaction (the call state wraps the call up: background/
     * call-state.ts), so a crash keeps both writes or neither.
     */
    async add(event: AfterCallEvent, also?: AlsoWrite): Promise<{ duplicate: boolean }> {
      const db = await deps.db;
      const at = now();
      const tx = db.transaction(['outbox', ...(also?.stores ?? [])], 'readwrite', {
        durability: 'strict',
      });
      const outbox = tx.objectStore('outbox');
      const duplicate = (await outbox.get(event.id)) !== undefined;
      if (!duplicate)
        await outbox.add({
          id: event.id,
          event,
          status: 'pending',
          at,
          createdAt: at,
          attempts: 0,
          leaseUntil: 0,
        });
      await also?.write(tx);
      await tx.done;
      changed();
      return { duplicate };
    },

    /**
     * Sends what is due, in batches, until the outbox is empty or the gateway fails; then asks to
     * be woken for the next due time. Calls while one runs join it.
     */
    drain(): Promise<void> {
      if (draining) {
        again = true;
        return draining;
      }
      draining = (async () => {
        do {
          again = false;
          await drainOnce();
        } while (again);
      })().finally(() => {
        draining = null;
      });
      return draining;
    },

    async status(): Promise<OutboxStatus> {
      const db = await deps.db;
      const tx = db.transaction(['outbox', 'outboxState']);
      const index = tx.objectStore('outbox').index('byStatusAt');
      const count = (status: OutboxEntry['status']) =>
        index.count(IDBKeyRange.bound([status, -Infinity], [status, Infinity]));
      const [pending, sent, failed, gate] = await Promise.all([
        count('pending'),
        count('sent'),
        count('failed'),
        tx.objectStore('outboxState').get(GATE_KEY),
      ]);
      const failedEvents: OutboxStatus['failedEvents'] = [];
      let cursor = await index.openCursor(
        IDBKeyRange.bound(['failed', -Infinity], ['failed', Infinity]),
        'prev',
      );
      while (cursor && failedEvents.length < FAILED_SHOWN) {
        const { event, lastError, lastProblem } = cursor.value;
        failedEvents.push({
          id: event.id,
          loggedAt: event.loggedAt,
          disposition: event.disposition.label,
          dispositionCode: event.disposition.code,
          error: lastError ?? 'refused',
          ...(lastProblem ? { problem: lastProblem } : {}),
        });
        cursor = await cursor.continue();
      }
      const retrying = pending > 0 && gate && gate.failures > 0;
      return {
        pending,
        sent,
        failed,
        failedEvents,
        ...(retrying ? { retryAt: new Date(gate.pauseUntil).toISOString() } : {}),
        ...(retrying && gate.lastError ? { lastError: gate.lastError } : {}),
        ...(retrying && gate.lastProblem ? { lastProblem: gate.lastProblem } : {}),
      };
    },

    /** Puts refused events back in line (all, or the ones named) and sends at once. */
    async retryFailed(ids?: readonly string[]): Promise<{ retried: number }> {
      const db = await deps.db;
      const at = now();
      const tx = db.transaction(['outbox', 'outboxState'], 'readwrite', { durability: 'strict' });
      const store = tx.objectStore('outbox');
      const wanted = ids ? new Set(ids) : null;
      let retried = 0;
      let cursor = await store
        .index('byStatusAt')
        .openCursor(IDBKeyRange.bound(['failed', -Infinity], ['failed', Infinity]));
      while (cursor) {
        if (!wanted || wanted.has(cursor.value.id)) {
          await cursor.update({ ...cursor.value, status: 'pending', at, leaseUntil: 0 });
          retried++;
        }
        cursor = await cursor.continue();
      }
      // The agent asked: try now, not at the end of an old backoff.
      await tx.objectStore('outboxState').put({ failures: 0, pauseUntil: 0 }, GATE_KEY);
      await tx.done;
      changed();
      return { retried };
    },

    /** The refused events in full, for the agent or an admin to keep or replay. */
    async exportFailed(): Promise<{ event: AfterCallEvent; error: string; failedAt: string }[]> {
      const db = await deps.db;
      const entries = await db.getAllFromIndex(
        'outbox',
        'byStatusAt',
        IDBKeyRange.bound(['failed', -Infinity], ['failed', Infinity]),
      );
      return entries.map((e) => ({
        event: e.event,
        error: e.lastError ?? 'refused',
        failedAt: new Date(e.at).toISOString(),
      }));
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/** Stores written beside an outbox entry, in its transaction. */
type AlsoStores = ('wrapUpDrafts' | 'calls')[];

export interface AlsoWrite {
  stores: AlsoStores;
  write(
    tx: IDBPTransaction<CallerContextDB, ('outbox' | AlsoStores[number])[], 'readwrite'>,
  ): Promise<void>;
}

function released(entry: OutboxEntry): OutboxEntry {
  const { leaseBy: _, ...rest } = entry;
  return { ...rest, leaseUntil: 0 };
}

async function errorDetail(response: Response): Promise<string | undefined> {
  try {
    const text = await response.text();
    if (response.ok || !text) return undefined;
    const body = JSON.parse(text) as { error?: { message?: unknown } };
    const message = body.error?.message;
    return typeof message === 'string' ? message.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}
