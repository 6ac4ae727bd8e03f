import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { SignJWT } from 'jose';
import { bundleGateway } from '../gateway/bundle';
import { DEFAULT_SEED_FILE } from '../gateway/sources/demo';
import { type PrivateRedis, startPrivateRedis } from '../gateway/test-support/redis-server';
import {
  type GatewayProcess,
  spawnGateway,
  writeConfig,
} from '../gateway/test-support/replica-harness';
import { type LoadResult, runLoad } from './load';
import { percentile } from './stats';

/**
 * The gateway scaled out (issue "The gateway scales out on Redis"): three gateway processes and
 * one redis-server on this machine, 1,500 activity streams open across them, 50 web events a
 * second collected on any replica and 100 lookups a second, for a minute. Measures how long an
 * event takes from its POST to its stream (whichever replica holds the stream), lookup latency,
 * memory per open stream and events lost; then the same load on one gateway process with the
 * memory store; then lookups per second against a bare Hono route. The gateway runs as it is
 * deployed: its bundle (`npm run build:gateway`, built here into a folder of its own) on Node.
 *
 * `npx tsx bench/gateway-scale.ts` (or `npm run bench:gateway`); `BENCH_SCALE_SECONDS`,
 * `BENCH_SCALE_STREAMS` shorten a trial run. Merges its figures into bench/results.json as
 * `gatewayScale`.
 */

const RESULTS = resolve(import.meta.dirname, 'results.json');
const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 60);
const STREAMS = Number(process.env.BENCH_SCALE_STREAMS ?? 1500);
const EVENTS_PER_SECOND = 50;
const LOOKUPS_PER_SECOND = 100;
const REPLICAS = 3;
/** How long after the last event a missing one counts as lost. */
const GRACE_MS = 10_000;

const AGENT_TOKEN = 'bench-agent-token';
const COLLECT_KEY = 'bench-collect-key';
const LOOKUP_IDENTITY = 'phone:+442079460123';
const SITE_KEY = 'bench-site-key';
const SITE_SECRET = 'bench-site-identity-secret-0123456789abcdef';
const ENV = { BENCH_SITE_SECRET: SITE_SECRET };

export interface ScaleRun {
  setup: string;
  replicas: number;
  streams: number;
  seconds: number;
  eventsPosted: number;
  eventsRefused: number;
  eventsDelivered: number;
  eventsLost: number;
  /** From the POST leaving the client to the event read from its stream (ms). */
  eventToStream: { n: number; p50: number; p99: number; max: number };
  lookups: { n: number; failures: number; p50: number; p99: number };
  /** Resident memory of the gateway processes, before and after opening the streams. */
  memory: { gatewayRssBeforeMb: number; gatewayRssAfterMb: number; perStreamKb: number };
  /** Redis's own memory for the streams (its used_memory), where there is a Redis. */
  redisPerStreamKb?: number;
}

export interface GatewayScale {
  runs: ScaleRun[];
  throughput: { bareHono: LoadResult; gatewayRedis: LoadResult; ratio: number };
  /** A site key's flood from one address against one replica, and agents' lookups meanwhile. */
  flood: {
    posts: number;
    accepted: number;
    refused429: number;
    lookups: number;
    lookupP99Ms: number;
    lookupMaxMs: number;
  };
}

function config(store: unknown) {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    auth: {
      tokens: [AGENT_TOKEN],
      collectTokens: [COLLECT_KEY],
      siteKeys: [{ key: SITE_KEY, identitySecretEnv: 'BENCH_SITE_SECRET', name: 'bench-shop' }],
    },
    // Named in full: the bundle runs from a folder of its own.
    sources: [{ id: 'demo', type: 'demo', seedFile: DEFAULT_SEED_FILE }],
    store,
    // The limits stay on (their counting is part of each request's cost), set out of reach.
    rateLimits: { collectPerKey: 1_000_000, contextPerPrincipal: 1_000_000 },
  };
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

interface OpenedStream {
  request: ReturnType<typeof get>;
}

/** One SSE connection, parsed by hand on Node's http (1,500 of them in this process). */
function openStream(url: string, onEvent: (data: string) => void): Promise<OpenedStream> {
  return new Promise((resolveOpen, reject) => {
    const request = get(
      url,
      { headers: { Authorization: `Bearer ${AGENT_TOKEN}` }, agent: false },
      (response: IncomingMessage) => {
        if (response.statusCode !== 200) {
          reject(new Error(`stream answered ${response.statusCode}`));
          response.resume();
          return;
        }
        let buffer = '';
        let live = false;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!live && block.startsWith(': subscribed')) {
              live = true;
              resolveOpen({ request });
            }
            for (const line of block.split('\n'))
              if (line.startsWith('data: ')) onEvent(line.slice(6));
            end = buffer.indexOf('\n\n');
          }
        });
        response.on('error', () => {});
      },
    );
    request.on('error', reject);
  });
}

/** Calls `tick` `perSecond` times a second for `seconds`, catching up after a late timer. */
async function paced(perSecond: number, seconds: number, tick: (i: number) => void) {
  const started = performance.now();
  const total = perSecond * seconds;
  let done = 0;
  while (done < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSecond));
    while (done < due) tick(done++);
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function loadRun(
  setup: string,
  gateways: GatewayProcess[],
  redis: Redis | undefined,
): Promise<ScaleRun> {
  const usedMemory = async () =>
    redis ? Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0) : 0;
  const rssBefore = (await Promise.all(gateways.map((g) => rssMb(g.pid)))).reduce((a, b) => a + b);
  const redisBefore = await usedMemory();

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const received = new Set<string>();
  const streams: OpenedStream[] = [];
  const identity = (i: number) => `phone:+4477009${String(i).padStart(5, '0')}`;
  const onEvent = (data: string) => {
    const { title } = JSON.parse(data) as { title?: string };
    if (!title || received.has(title)) return;
    const sent = sentAt.get(title);
    if (sent === undefined) return;
    received.add(title);
    latencies.push(performance.now() - sent);
  };
  for (let i = 0; i < STREAMS; i += 50) {
    const batch = Array.from({ length: Math.min(50, STREAMS - i) }, (_, j) => {
      const n = i + j;
      const gateway = gateways[n % gateways.length] as GatewayProcess;
      return openStream(
        `${gateway.url}/v1/activity/stream?identity=${encodeURIComponent(identity(n))}`,
        onEvent,
      );
    });
    streams.push(...(await Promise.all(batch)));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const rssAfter = (await Promise.all(gateways.map((g) => rssMb(g.pid)))).reduce((a, b) => a + b);
  const redisAfter = await usedMemory();

  let posted = 0;
  let refused = 0;
  const lookupMs: number[] = [];
  let lookupFailures = 0;
  const pending: Promise<unknown>[] = [];
  const events = paced(EVENTS_PER_SECOND, SECONDS, (i) => {
    const title = `bench-${i}`;
    const gateway = gateways[(i * 7) % gateways.length] as GatewayProcess;
    const target = identity((i * 7919) % STREAMS);
    sentAt.set(title, performance.now());
    pending.push(
      fetch(`${gateway.url}/v1/collect`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${COLLECT_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ identity: target, events: [{ type: 'page_view', title }] }),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          if (response.status === 202) posted += 1;
          else {
            refused += 1;
            sentAt.delete(title);
          }
        },
        () => {
          refused += 1;
          sentAt.delete(title);
        },
      ),
    );
  });
  const lookups = paced(LOOKUPS_PER_SECOND, SECONDS, (i) => {
    const gateway = gateways[i % gateways.length] as GatewayProcess;
    const t0 = performance.now();
    pending.push(
      fetch(`${gateway.url}/v1/context?identity=${encodeURIComponent(LOOKUP_IDENTITY)}`, {
        headers: { Authorization: `Bearer ${AGENT_TOKEN}` },
      }).then(
        async (response) => {
          await response.arrayBuffer();
          lookupMs.push(performance.now() - t0);
          if (response.status !== 200) lookupFailures += 1;
        },
        () => {
          lookupFailures += 1;
        },
      ),
    );
  });
  await Promise.all([events, lookups]);
  await Promise.all(pending);
  const deadline = performance.now() + GRACE_MS;
  while (received.size < sentAt.size && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  for (const stream of streams) stream.request.destroy();

  const sorted = [...latencies].sort((a, b) => a - b);
  const lookupSorted = [...lookupMs].sort((a, b) => a - b);
  const pick = (list: number[], p: number) => (list.length ? round(percentile(list, p)) : NaN);
  return {
    setup,
    replicas: gateways.length,
    streams: STREAMS,
    seconds: SECONDS,
    eventsPosted: posted,
    eventsRefused: refused,
    eventsDelivered: received.size,
    eventsLost: sentAt.size - received.size,
    eventToStream: {
      n: sorted.length,
      p50: pick(sorted, 50),
      p99: pick(sorted, 99),
      max: round(sorted.at(-1) ?? NaN),
    },
    lookups: {
      n: lookupSorted.length,
      failures: lookupFailures,
      p50: pick(lookupSorted, 50),
      p99: pick(lookupSorted, 99),
    },
    memory: {
      gatewayRssBeforeMb: round(rssBefore),
      gatewayRssAfterMb: round(rssAfter),
      perStreamKb: round(((rssAfter - rssBefore) * 1024) / STREAMS),
    },
    ...(redis ? { redisPerStreamKb: round((redisAfter - redisBefore) / 1024 / STREAMS, 2) } : {}),
  };
}

/**
 * A browser-side flood: 2,000 posts with a valid identity token from one address, 50 at a time,
 * against one replica (the per-address limit, 120 a minute, turns most away), while agents look
 * callers up on the same replica, 10 a second.
 */
async function floodRun(gateway: GatewayProcess): Promise<GatewayScale['flood']> {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('email:jane.doe@example.com')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SITE_SECRET));
  const statuses: number[] = [];
  const lookupMs: number[] = [];
  let flooding = true;
  const lookups = (async () => {
    while (flooding) {
      const t0 = performance.now();
      const response = await fetch(
        `${gateway.url}/v1/context?identity=${encodeURIComponent(LOOKUP_IDENTITY)}`,
        { headers: { Authorization: `Bearer ${AGENT_TOKEN}` } },
      );
      await response.arrayBuffer();
      if (response.status === 200) lookupMs.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const post = async () => {
    const response = await fetch(`${gateway.url}/v1/collect`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${SITE_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        identityToken: token,
        events: [{ type: 'page_view', title: 'flood' }],
      }),
    });
    await response.arrayBuffer();
    statuses.push(response.status);
  };
  for (let sent = 0; sent < 2000; sent += 50) await Promise.all(Array.from({ length: 50 }, post));
  flooding = false;
  await lookups;
  const sorted = [...lookupMs].sort((a, b) => a - b);
  return {
    posts: statuses.length,
    accepted: statuses.filter((status) => status === 202).length,
    refused429: statuses.filter((status) => status === 429).length,
    lookups: sorted.length,
    lookupP99Ms: sorted.length ? round(percentile(sorted, 99)) : NaN,
    lookupMaxMs: round(sorted.at(-1) ?? NaN),
  };
}

/** A bare Hono route in a process of its own, as the gateway runs: the machine's ceiling. */
async function bareHonoServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--bare-hono'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return {
    url: line.trim(),
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export async function measureGatewayScale(): Promise<GatewayScale> {
  const runs: ScaleRun[] = [];
  let redis: PrivateRedis | undefined;
  let client: Redis | undefined;
  const gateways: GatewayProcess[] = [];
  let throughput: GatewayScale['throughput'] | undefined;
  let flood: GatewayScale['flood'] | undefined;
  const bundleDir = await mkdtemp(join(tmpdir(), 'cc-gateway-bundle-'));
  await bundleGateway(bundleDir);
  const run = { keepOutput: false, bundle: join(bundleDir, 'main.mjs') };
  try {
    redis = await startPrivateRedis();
    client = new Redis(redis.url);
    const shared = await writeConfig(config({ type: 'redis', url: redis.url }));
    for (let i = 0; i < REPLICAS; i += 1) gateways.push(await spawnGateway(shared.file, ENV, run));
    runs.push(await loadRun(`${REPLICAS} replicas + Redis`, gateways, client));

    const bare = await bareHonoServer();
    try {
      const bareHono = await runLoad({ url: `${bare.url}/` });
      const gatewayRedis = await runLoad({
        url: `${gateways[0]?.url}/v1/context?identity=${encodeURIComponent(LOOKUP_IDENTITY)}`,
        headers: { Authorization: `Bearer ${AGENT_TOKEN}` },
      });
      throughput = {
        bareHono,
        gatewayRedis,
        ratio: round(gatewayRedis.perSecond / bareHono.perSecond, 2),
      };
    } finally {
      await bare.stop();
    }
    flood = await floodRun(gateways[0] as GatewayProcess);
    await Promise.all(gateways.splice(0).map((g) => g.stop()));
    await shared.remove();

    const single = await writeConfig(config({ type: 'memory' }));
    gateways.push(await spawnGateway(single.file, ENV, run));
    runs.push(await loadRun('1 process, memory store', gateways, undefined));
    await single.remove();
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    client?.disconnect();
    await redis?.stop();
    await rm(bundleDir, { recursive: true, force: true });
  }
  if (!throughput || !flood) throw new Error('the throughput or flood run did not finish');
  return { runs, throughput, flood };
}

async function main(): Promise<void> {
  if (process.argv.includes('--bare-hono')) {
    const app = new Hono().get('/', (c) => c.json({ ok: true }));
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
      console.log(`http://127.0.0.1:${info.port}`),
    );
    process.once('SIGTERM', () => server.close(() => process.exit(0)));
    return;
  }
  console.log(
    `gateway scale: ${STREAMS} streams, ${EVENTS_PER_SECOND} events/s, ${LOOKUPS_PER_SECOND} lookups/s, ${SECONDS} s per setup`,
  );
  const scale = await measureGatewayScale();
  console.table(
    scale.runs.map((run) => ({
      setup: run.setup,
      streams: run.streams,
      'events posted': run.eventsPosted,
      'events lost': run.eventsLost,
      'event→stream p50 ms': run.eventToStream.p50,
      'event→stream p99 ms': run.eventToStream.p99,
      'lookup p50 ms': run.lookups.p50,
      'lookup p99 ms': run.lookups.p99,
      'lookup failures': run.lookups.failures,
      'RSS per stream KB': run.memory.perStreamKb,
      'Redis per stream KB': run.redisPerStreamKb ?? '',
    })),
  );
  const t = scale.throughput;
  console.log(
    `lookups/s, one replica with the Redis store: ${t.gatewayRedis.perSecond} (p99 ${t.gatewayRedis.p99Ms} ms); ` +
      `bare Hono route: ${t.bareHono.perSecond}; ratio ${t.ratio} (target >= 0.5)`,
  );
  const f = scale.flood;
  console.log(
    `site-key flood from one address: ${f.posts} posts, ${f.accepted} accepted, ${f.refused429} refused with 429; ` +
      `agents' lookups meanwhile: ${f.lookups}, p99 ${f.lookupP99Ms} ms, slowest ${f.lookupMaxMs} ms`,
  );
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(await readFile(RESULTS, 'utf8')) as Record<string, unknown>;
  } catch {
    // No results yet (run alone): this run's figures are the file.
  }
  results.gatewayScale = {
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    ...scale,
  };
  await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Results merged into ${RESULTS} (gatewayScale)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
