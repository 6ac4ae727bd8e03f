import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../shared/after-call';
import type { ActivityEvent } from '../shared/model';
import { DELIVERY_QUEUE } from './event-store';
import { RedisStore } from './store/redis-store';
import { type PrivateRedis, startPrivateRedis } from './test-support/redis-server';
import {
  eventually,
  type GatewayProcess,
  openStream,
  type RecordingSink,
  spawnGateway,
  startRecordingSink,
  writeConfig,
} from './test-support/replica-harness';

/**
 * Several gateway processes sharing one real redis-server, killed with SIGKILL mid-stream and
 * mid-delivery, Redis itself killed and restarted: what docs/deploy.md promises for N replicas.
 */

const AGENT = { Authorization: 'Bearer replica-agent-token' };
const COLLECT = { Authorization: 'Bearer replica-collect-key', 'Content-Type': 'application/json' };
const JANE_PHONE = 'phone:+442079460123';
const JANE_EMAIL = 'email:jane.doe@example.com';
const ENV = { SEGMENT_WRITE_KEY: 'test-write-key' };

function gatewayConfig(redisUrl: string, sinkUrl: string) {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    auth: { tokens: ['replica-agent-token'], collectTokens: ['replica-collect-key'] },
    sources: [{ id: 'demo', type: 'demo' }],
    sinks: [{ id: 'segment', type: 'segment', baseUrl: sinkUrl, writeKeyEnv: 'SEGMENT_WRITE_KEY' }],
    store: { type: 'redis', url: redisUrl, commandTimeoutMs: 500 },
    // Short, so a replica's death costs the test seconds, not the minute of production.
    delivery: { leaseSeconds: 3 },
  };
}

function afterCallEvent(): AfterCallEvent {
  return {
    id: randomUUID(),
    type: 'call.logged',
    callId: `call-${randomUUID()}`,
    identity: { namespace: 'phone', value: '+442079460123' },
    rawNumber: '+44 20 7946 0123',
    profile: { id: 'cust-1001', source: 'demo', name: 'Jane Doe' },
    disposition: { code: 'resolved', label: 'Resolved' },
    notes: 'Replacement drip tray sent.',
    ringingAt: '2026-11-21T10:00:00.000Z',
    endedAt: '2026-11-21T10:04:05.000Z',
    talkSeconds: 240,
    loggedAt: '2026-11-21T10:05:00.000Z',
  };
}

const collect = (gateway: GatewayProcess, identity: string, title: string) =>
  fetch(`${gateway.url}/v1/collect`, {
    method: 'POST',
    headers: COLLECT,
    body: JSON.stringify({ identity, events: [{ type: 'page_view', title }] }),
  });

const postEvent = (gateway: GatewayProcess, event: AfterCallEvent) =>
  fetch(`${gateway.url}/v1/events`, {
    method: 'POST',
    headers: { ...AGENT, 'Content-Type': 'application/json' },
    body: JSON.stringify(event),
  });

const streamUrl = (gateway: GatewayProcess, identity = JANE_PHONE) =>
  `${gateway.url}/v1/activity/stream?identity=${encodeURIComponent(identity)}`;

const titles = (messages: { data: string }[]) =>
  messages.map((m) => (JSON.parse(m.data) as ActivityEvent).title);

async function activityTitles(gateway: GatewayProcess, identity = JANE_PHONE) {
  const response = await fetch(
    `${gateway.url}/v1/activity?identity=${encodeURIComponent(identity)}`,
    { headers: AGENT },
  );
  const body = (await response.json()) as { events: ActivityEvent[] };
  return body.events.map((event) => event.title);
}

describe('replicas sharing one Redis', { timeout: 120_000 }, () => {
  let redis: PrivateRedis;
  let sink: RecordingSink;
  let config: { file: string; remove(): Promise<void> };
  let observer: RedisStore;
  const running = new Set<GatewayProcess>();
  const start = async () => {
    const gateway = await spawnGateway(config.file, ENV);
    running.add(gateway);
    return gateway;
  };
  const kill = async (gateway: GatewayProcess) => {
    await gateway.kill();
    running.delete(gateway);
  };
  let a: GatewayProcess;
  let b: GatewayProcess;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    sink = await startRecordingSink();
    config = await writeConfig(gatewayConfig(redis.url, sink.url));
    observer = new RedisStore({ url: redis.url });
    await observer.ready();
    [a, b] = await Promise.all([start(), start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...running].map((gateway) => gateway.kill()));
    await observer?.close();
    await sink?.close();
    await redis?.stop();
    await config?.remove();
  });

  it('an event collected on one replica reaches a stream open on the other', async () => {
    const { reader } = await openStream(streamUrl(b), AGENT);
    if (!reader) throw new Error('no stream');
    // Collected under Jane's email on A; the stream on B was opened for her phone number.
    expect((await collect(a, JANE_EMAIL, 'Seen across replicas')).status).toBe(202);
    await reader.until((messages) => titles(messages).includes('Seen across replicas'));
    expect(reader.messages.every((m) => /^\d+$/.test(m.id ?? ''))).toBe(true);
    reader.close();
  });

  it('a stream cut by its replica dying (SIGKILL) resumes on the other replica with Last-Event-ID', async () => {
    const { reader } = await openStream(streamUrl(a), AGENT);
    if (!reader) throw new Error('no stream');
    expect((await collect(b, JANE_EMAIL, 'Before the crash')).status).toBe(202);
    await reader.until((messages) => titles(messages).includes('Before the crash'));
    const lastId = reader.messages.at(-1)?.id ?? '';

    await kill(a);
    await reader.ended;
    for (const title of ['Missed 1', 'Missed 2'])
      expect((await collect(b, JANE_EMAIL, title)).status).toBe(202);

    const resumed = await openStream(streamUrl(b), { ...AGENT, 'Last-Event-ID': lastId });
    if (!resumed.reader) throw new Error('no stream');
    await resumed.reader.until((messages) => titles(messages).includes('Missed 2'));
    expect(titles(resumed.reader.messages)).toEqual(['Missed 1', 'Missed 2']);
    resumed.reader.close();
    a = await start();
  });

  it('an after-call event posted to both replicas, and again after one is killed and restarted, reaches the sink once', async () => {
    const event = afterCallEvent();
    const answers = await Promise.all([postEvent(a, event), postEvent(b, event)]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
    const duplicates = await Promise.all(
      answers.map(async (answer) => ((await answer.json()) as { duplicate: boolean }).duplicate),
    );
    expect(duplicates.sort()).toEqual([false, true]);
    await eventually(
      () => sink.acknowledged().filter((id) => id === event.id).length,
      (n) => n === 1,
    );

    await kill(a);
    a = await start();
    const again = await postEvent(a, event);
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ id: event.id, duplicate: true });
    await eventually(
      () => observer.queue(DELIVERY_QUEUE).counts(),
      (counts) => counts.queued === 0,
    );
    expect(sink.requests.filter((r) => r.messageId === event.id)).toHaveLength(1);
  });

  it('a replica killed in the middle of a delivery: another delivers the event once its lease runs out', async () => {
    // One replica at a time, so the one holding the delivery is the one we kill.
    await b.stop();
    running.delete(b);
    sink.hold();
    const event = afterCallEvent();
    expect((await postEvent(a, event)).status).toBe(202);
    await eventually(
      () => sink.requests.filter((r) => r.messageId === event.id).length,
      (n) => n === 1,
    );
    await kill(a);
    // The sink never answered the dead replica: its request was cut off, not taken.
    await eventually(
      () => sink.requests.find((r) => r.messageId === event.id)?.abandoned,
      (abandoned) => abandoned === true,
    );
    sink.release();

    b = await start();
    await eventually(
      () => sink.acknowledged().filter((id) => id === event.id).length,
      (n) => n === 1,
    );
    const requests = sink.requests.filter((r) => r.messageId === event.id);
    expect(requests.map((r) => r.acknowledged)).toEqual([false, true]);
    a = await start();
  });

  it('after every replica restarts, the recent activity is still there', async () => {
    expect((await collect(b, JANE_EMAIL, 'Kept across restarts')).status).toBe(202);
    await Promise.all([kill(a), kill(b)]);
    a = await start();
    expect(await activityTitles(a)).toContain('Kept across restarts');
    b = await start();
  });
});

describe('Redis down, slow and back', { timeout: 120_000 }, () => {
  let redis: PrivateRedis;
  let sink: RecordingSink;
  let config: { file: string; remove(): Promise<void> };
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    // Persistence as docs/deploy.md recommends: an append-only file fsynced on every write.
    redis = await startPrivateRedis({ appendOnly: true });
    sink = await startRecordingSink();
    config = await writeConfig(gatewayConfig(redis.url, sink.url));
    gateway = await spawnGateway(config.file, ENV);
  }, 120_000);

  afterAll(async () => {
    redis?.resume();
    await gateway?.kill();
    await sink?.close();
    await redis?.stop();
    await config?.remove();
  });

  it('keeps lookups working, answers collect and events 503 with Retry-After, says what is degraded, and recovers without a restart', async () => {
    const g = gateway as GatewayProcess;
    await redis.kill();

    const collected = await collect(g, JANE_EMAIL, 'While Redis is down');
    expect(collected.status).toBe(503);
    expect(collected.headers.get('Retry-After')).toBe('5');
    const posted = await postEvent(g, afterCallEvent());
    expect(posted.status).toBe(503);
    expect(posted.headers.get('Retry-After')).toBe('5');

    const lookup = await fetch(`${g.url}/v1/context?identity=${encodeURIComponent(JANE_PHONE)}`, {
      headers: AGENT,
    });
    expect(lookup.status).toBe(200);
    const context = (await lookup.json()) as { matches: { profile: { displayName: string } }[] };
    expect(context.matches[0]?.profile.displayName).toBe('Jane Doe');
    const stream = await openStream(streamUrl(g), AGENT);
    expect(stream.status).toBe(503);

    const ready = (await (await fetch(`${g.url}/readyz`)).json()) as {
      status: string;
      degraded: string[];
      store: { ok: boolean };
    };
    expect(ready.status).toBe('degraded');
    expect(ready.store.ok).toBe(false);
    expect(ready.degraded.join(' ')).toContain('/v1/collect');

    await redis.start();
    await eventually(
      async () => (await collect(g, JANE_EMAIL, 'After Redis came back')).status,
      (status) => status === 202,
    );
    const back = (await (await fetch(`${g.url}/readyz`)).json()) as { status: string };
    expect(back.status).toBe('ok');
    const live = await openStream(streamUrl(g), AGENT);
    expect(live.status).toBe(200);
    live.reader?.close();
  });

  it('answers 503 instead of hanging while Redis is stuck, and lookups still answer', async () => {
    const g = gateway as GatewayProcess;
    redis.pause();
    try {
      const collected = await collect(g, JANE_EMAIL, 'While Redis is stuck');
      expect(collected.status).toBe(503);
      const lookup = await fetch(`${g.url}/v1/context?identity=${encodeURIComponent(JANE_PHONE)}`, {
        headers: AGENT,
      });
      expect(lookup.status).toBe(200);
    } finally {
      redis.resume();
    }
    await eventually(
      async () => (await collect(g, JANE_EMAIL, 'After Redis woke up')).status,
      (status) => status === 202,
    );
  });

  it('an event taken (202) survives Redis and the replica both dying before delivery, and is delivered once after', async () => {
    sink.hold();
    const event = afterCallEvent();
    expect((await postEvent(gateway as GatewayProcess, event)).status).toBe(202);
    expect(
      (await collect(gateway as GatewayProcess, JANE_EMAIL, 'Before the power cut')).status,
    ).toBe(202);
    await eventually(
      () => sink.requests.filter((r) => r.messageId === event.id).length,
      (n) => n === 1,
    );
    // A power cut: Redis and the replica die at once, the delivery in flight unanswered.
    await Promise.all([redis.kill(), gateway?.kill()]);
    gateway = undefined;
    sink.release();
    await redis.start();
    gateway = await spawnGateway(config.file, ENV);
    await eventually(
      () => sink.acknowledged().filter((id) => id === event.id).length,
      (n) => n === 1,
    );
    expect(await activityTitles(gateway)).toContain('Before the power cut');
  });
});
