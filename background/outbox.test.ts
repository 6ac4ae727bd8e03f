import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../shared/after-call';
import { type Database, openDatabase } from './db';
import type { FetchLike } from './gateway-client';
import { createOutbox, KEEP_SENT_MS, LEASE_MS, type OutboxDeps } from './outbox';

const START = Date.parse('2025-03-01T10:00:00.000Z');
let clock: number;
let db: Database;
let wakes: (number | null)[];

function event(n: number): AfterCallEvent {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type: 'call.logged',
    callId: `call-${n}`,
    identity: { namespace: 'phone', value: '+442079460123' },
    rawNumber: '+44 20 7946 0123',
    profile: { id: 'cust-1', source: 'demo', name: 'Jane Doe' },
    disposition: { code: 'resolved', label: 'Resolved' },
    notes: 'Replacement drip tray sent.',
    ringingAt: new Date(START - 120_000).toISOString(),
    connectedAt: new Date(START - 110_000).toISOString(),
    endedAt: new Date(START - 10_000).toISOString(),
    talkSeconds: 100,
    loggedAt: new Date(START).toISOString(),
  };
}

/** A gateway that answers from a script, one response per request, and records what it got. */
function gateway(script: (n: number) => Response | Error) {
  const received: string[] = [];
  const fetch: FetchLike = async (_url, init) => {
    const body = JSON.parse(String(init?.body)) as AfterCallEvent;
    const answer = script(received.length);
    received.push(body.id);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, received };
}

const accepted = () => new Response('{}', { status: 202 });

function outbox(fetch: FetchLike, extra: Partial<OutboxDeps> = {}) {
  return createOutbox({
    db,
    gateway: async () => ({ gatewayUrl: 'http://127.0.0.1:1', gatewayToken: 't' }),
    fetch,
    now: () => clock,
    random: () => 0.5,
    wake: (at) => wakes.push(at),
    ...extra,
  });
}

beforeEach(async () => {
  db = await openDatabase(new IDBFactory());
  clock = START;
  wakes = [];
});

afterEach(() => db.close());

describe('outbox', () => {
  it('sends a logged event once and keeps it as sent', async () => {
    const gw = gateway(accepted);
    const box = outbox(gw.fetch);
    await box.add(event(1));
    expect(await box.status()).toMatchObject({ pending: 1, sent: 0, failed: 0 });
    await box.drain();
    await box.drain();
    expect(gw.received).toEqual([event(1).id]);
    expect(await box.status()).toMatchObject({ pending: 0, sent: 1, failed: 0 });
    expect(wakes.at(-1)).toBeNull();
  });

  it('counts the same id logged twice as one event', async () => {
    const gw = gateway(accepted);
    const box = outbox(gw.fetch);
    expect(await box.add(event(1))).toEqual({ duplicate: false });
    expect(await box.add(event(1))).toEqual({ duplicate: true });
    await box.drain();
    expect(gw.received).toHaveLength(1);
  });

  it('backs off exponentially while the gateway fails, then delivers everything', async () => {
    const failures = 4;
    // The first batch sends all three at once (one failure of the gateway); then one probe a step.
    const failedRequests = 3 + failures - 1;
    const gw = gateway((n) =>
      n < failedRequests ? new Response('', { status: 503 }) : accepted(),
    );
    const box = outbox(gw.fetch);
    for (let i = 1; i <= 3; i++) await box.add(event(i));
    const waits: number[] = [];
    for (let i = 0; i < failures; i++) {
      await box.drain();
      const wake = wakes.at(-1) as number;
      waits.push(wake - clock);
      // Nothing is sent before the pause ends.
      const sentSoFar = gw.received.length;
      clock = wake - 1;
      await box.drain();
      expect(gw.received.length).toBe(sentSoFar);
      clock = wake;
    }
    // random() = 0.5: three quarters of each step, which doubles from 1 s.
    expect(waits).toEqual([750, 1500, 3000, 6000]);
    // One probe per failed step, not the whole backlog each time.
    expect(gw.received).toHaveLength(failedRequests);
    await box.drain();
    expect(await box.status()).toMatchObject({ pending: 0, sent: 3 });
    expect(new Set(gw.received).size).toBe(3);
  });

  it('waits as long as Retry-After says', async () => {
    const gw = gateway((n) =>
      n === 0 ? new Response('', { status: 429, headers: { 'retry-after': '30' } }) : accepted(),
    );
    const box = outbox(gw.fetch);
    await box.add(event(1));
    await box.drain();
    expect(wakes.at(-1)).toBe(START + 30_000);
    expect(await box.status()).toMatchObject({
      retryAt: new Date(START + 30_000).toISOString(),
      lastError: 'The gateway answered 429.',
      lastProblem: { code: 'gatewayStatus', params: { status: '429' } },
    });
    clock = START + 29_999;
    await box.drain();
    expect(gw.received).toHaveLength(1);
    clock = START + 30_000;
    await box.drain();
    expect(await box.status()).toMatchObject({ pending: 0, sent: 1 });
  });

  it('retries network errors and 408, and puts other 4xx on the failed list', async () => {
    const answers = [
      new TypeError('fetch failed'),
      new Response('', { status: 408 }),
      new Response(JSON.stringify({ error: { code: 'invalid_request', message: 'bad id' } }), {
        status: 400,
      }),
    ];
    const gw = gateway((n) => answers[n] ?? accepted());
    const box = outbox(gw.fetch);
    await box.add(event(1));
    for (let i = 0; i < 3; i++) {
      await box.drain();
      clock = (wakes.at(-1) as number | null) ?? clock;
    }
    const status = await box.status();
    expect(status).toMatchObject({ pending: 0, sent: 0, failed: 1 });
    expect(status.failedEvents[0]).toMatchObject({ id: event(1).id, disposition: 'Resolved' });
    expect(status.failedEvents[0]?.error).toContain('400: bad id');
    // The same as a code, which the sidebar words in the agent's language.
    expect(status.failedEvents[0]?.problem).toEqual({
      code: 'gatewayStatusDetail',
      params: { status: '400', detail: 'bad id' },
    });
    // Kept, not dropped: exported in full, and sent once the agent retries.
    expect((await box.exportFailed())[0]?.event).toEqual(event(1));
    clock += 30 * 24 * 3600_000;
    await box.drain();
    expect((await box.status()).failed).toBe(1);
    expect(await box.retryFailed()).toEqual({ retried: 1 });
    await box.drain();
    expect(await box.status()).toMatchObject({ pending: 0, sent: 1, failed: 0 });
  });

  it('keeps sent events seven days', async () => {
    const box = outbox(gateway(accepted).fetch);
    await box.add(event(1));
    await box.drain();
    clock += KEEP_SENT_MS - 1;
    await box.drain();
    expect((await box.status()).sent).toBe(1);
    clock += 2;
    await box.drain();
    expect((await box.status()).sent).toBe(0);
  });
});

describe('outbox lease', () => {
  it('never has two sends of one event in flight, even from two workers', async () => {
    let inFlight = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const slow: FetchLike = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => release.push(resolve));
      inFlight--;
      return accepted();
    };
    const first = outbox(slow, { holder: 'worker-a' });
    const second = outbox(slow, { holder: 'worker-b' });
    await first.add(event(1));
    const a = first.drain();
    // Let the first claim the event, then the second worker looks.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await second.drain();
    expect(release).toHaveLength(1);
    for (const go of release) go();
    await a;
    expect(most).toBe(1);
    expect(await first.status()).toMatchObject({ pending: 0, sent: 1 });
  });

  it('lets another worker take over once a dead worker’s lease expires', async () => {
    const hung: FetchLike = () => new Promise<Response>(() => {});
    const dead = outbox(hung, { holder: 'dead-worker' });
    await dead.add(event(1));
    void dead.drain(); // the worker dies with this send in flight
    await new Promise((resolve) => setTimeout(resolve, 20));

    const gw = gateway(accepted);
    const next = outbox(gw.fetch, { holder: 'next-worker' });
    await next.drain();
    expect(gw.received).toEqual([]);
    // It asks to be woken when the lease runs out, not never.
    expect(wakes.at(-1)).toBe(START + LEASE_MS);
    clock = START + LEASE_MS;
    await next.drain();
    expect(gw.received).toEqual([event(1).id]);
    expect(await next.status()).toMatchObject({ pending: 0, sent: 1 });
  });
});
