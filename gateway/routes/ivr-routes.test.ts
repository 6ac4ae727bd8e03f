import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallerContext } from '../../shared/model';
import { FLAT_KEYS } from '../ivr/flat';
import type { IvrAnswer } from '../ivr/ivr-lookup';
import { silentLogger } from '../request-log';
import { type RunningGateway, startGateway } from '../server';
import { createSinkForwarder } from '../sink-forwarder';
import { RedisStore } from '../store/redis-store';
import { AGENT, demoConfig } from '../test-support/fixtures';
import { type PrivateRedis, startPrivateRedis } from '../test-support/redis-server';

const IVR = { Authorization: 'Bearer demo-ivr-key' };
const MARCO = { Authorization: 'Bearer demo-marco-token' };
const JANE = '+442079460123';
const MARCO_AGENT = {
  email: 'marco.rossi@laboutique.example',
  name: 'Marco Rossi',
  id: 'emp-17',
};

const running: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
});

async function start(overrides: Record<string, unknown> = {}) {
  const gateway = await startGateway(demoConfig(overrides), {
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
  });
  running.push(gateway);
  // The gateway does not wait for Redis to connect; a test does, so its first request counts.
  const { store } = gateway.gateway;
  if (store instanceof RedisStore) await store.ready();
  return gateway.url;
}

async function lookup(url: string, query: string, headers: Record<string, string> = IVR) {
  return fetch(`${url}/v1/ivr/lookup?${query}`, { headers });
}

async function answerFor(url: string, query: string): Promise<IvrAnswer> {
  const res = await lookup(url, query);
  expect(res.status).toBe(200);
  return (await res.json()) as IvrAnswer;
}

function report(url: string, state: string, headers: Record<string, string> = MARCO) {
  return fetch(`${url}/v1/presence`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ state }),
  });
}

const ani = (number: string) => `ani=${encodeURIComponent(number)}`;

describe('GET /v1/ivr/lookup with the demo config', () => {
  it('names Jane, her latest case and her manager, and routes by his presence', async () => {
    const url = await start();
    const offline = await answerFor(url, ani(JANE));
    expect(offline).toEqual({
      known: true,
      matches: 1,
      firstName: 'Jane',
      displayName: 'Jane Doe',
      language: 'en-GB',
      latestCase: {
        number: 'CAS-1042',
        title: 'Espresso Pro arrived with a cracked drip tray',
        status: 'Open',
      },
      ownManager: { ...MARCO_AGENT, available: false, state: 'offline' },
      route: { to: 'queue', queue: 'general', reason: 'own_manager_unavailable' },
      intent: expect.objectContaining({ kind: 'read_returns' }),
      partial: false,
    });

    expect((await report(url, 'available')).status).toBe(200);
    const available = await answerFor(url, ani(JANE));
    expect(available.ownManager).toMatchObject({ available: true, state: 'available' });
    expect(available.route).toEqual({ to: 'agent', agent: MARCO_AGENT, reason: 'own_manager' });

    expect((await report(url, 'busy')).status).toBe(200);
    expect((await answerFor(url, ani(JANE))).route).toEqual({
      to: 'agent',
      agent: MARCO_AGENT,
      reason: 'own_manager_busy',
    });
    expect((await answerFor(url, `${ani(JANE)}&waitedSeconds=75`)).route).toEqual({
      to: 'queue',
      queue: 'overflow',
      reason: 'overflow',
    });
  });

  it('gives the flat format as one level of strings, "" for none', async () => {
    const url = await start();
    const flat = (await (await lookup(url, `${ani(JANE)}&format=flat`)).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(flat).sort()).toEqual([...FLAT_KEYS].sort());
    for (const value of Object.values(flat)) expect(typeof value).toBe('string');
    expect(flat).toMatchObject({
      known: 'true',
      firstName: 'Jane',
      latestCaseNumber: 'CAS-1042',
      latestCaseTitle: 'Espresso Pro arrived with a cracked drip tray',
      ownManagerName: 'Marco Rossi',
      ownManagerAvailable: 'false',
      routeTo: 'queue',
      routeAgent: '',
      routeQueue: 'general',
      routeReason: 'own_manager_unavailable',
      intent: 'read_returns',
      partial: 'false',
    });
    const unknown = (await (
      await lookup(url, `${ani('+447700900999')}&format=flat`)
    ).json()) as Record<string, string>;
    expect(unknown).toMatchObject({
      known: 'false',
      firstName: '',
      latestCaseNumber: '',
      ownManagerName: '',
      ownManagerAvailable: '',
      routeTo: 'queue',
      routeQueue: 'general',
      routeReason: 'unknown_caller',
    });
  });

  it('routes an unknown number to the queue as unknown_caller', async () => {
    const url = await start();
    const answer = await answerFor(url, ani('+447700900999'));
    expect(answer).toMatchObject({
      known: false,
      ownManager: null,
      route: { to: 'queue', queue: 'general', reason: 'unknown_caller' },
    });
  });

  it('reads a national number in ivr.defaultRegion', async () => {
    const url = await start();
    expect((await answerFor(url, ani('020 7946 0123'))).displayName).toBe('Jane Doe');
  });

  it('answers a bad ani, waitedSeconds or format with 400 and a message', async () => {
    const url = await start();
    for (const query of [
      'ani=hello',
      '',
      'ani=',
      `${ani(JANE)}&waitedSeconds=soon`,
      `${ani(JANE)}&format=xml`,
    ]) {
      const res = await lookup(url, query);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.message.length).toBeGreaterThan(0);
    }
  });
});

describe('IVR keys and agent tokens', () => {
  it('an IVR key cannot read /v1/context or any agent route', async () => {
    const url = await start();
    const context = await fetch(
      `${url}/v1/context?identity=${encodeURIComponent(`phone:${JANE}`)}`,
      {
        headers: IVR,
      },
    );
    expect(context.status).toBe(401);
    expect((await report(url, 'available', IVR)).status).toBe(401);
  });

  it("an agent's token cannot use the IVR lookup", async () => {
    const url = await start();
    for (const headers of [AGENT, MARCO, {}])
      expect((await lookup(url, ani(JANE), headers)).status).toBe(401);
  });

  it('takes the IVR key as the password of Basic auth, for flow designers that only do that', async () => {
    const url = await start();
    const basic = (user: string, key: string) => ({
      Authorization: `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`,
    });
    expect((await lookup(url, ani(JANE), basic('ivr', 'demo-ivr-key'))).status).toBe(200);
    expect((await lookup(url, ani(JANE), basic('ivr', 'demo-token'))).status).toBe(401);
  });

  it('an unknown IVR route is a 404 for an IVR key', async () => {
    const url = await start();
    const res = await fetch(`${url}/v1/ivr/other`, { headers: IVR });
    expect(res.status).toBe(404);
  });
});

describe('POST /v1/presence', () => {
  it('answers who reported what, and refuses a token that names no agent', async () => {
    const url = await start();
    const res = await report(url, 'wrap_up');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      state: 'wrap_up',
      agent: MARCO_AGENT,
      expiresInSeconds: 90,
    });
    const anonymous = await report(url, 'available', AGENT);
    expect(anonymous.status).toBe(403);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('no_agent');
  });

  it('refuses a state it does not know', async () => {
    const url = await start();
    for (const body of ['{"state":"lunch"}', '{}', '[]', 'not json']) {
      const res = await fetch(`${url}/v1/presence`, {
        method: 'POST',
        headers: { ...MARCO, 'Content-Type': 'application/json' },
        body,
      });
      expect(res.status, body).toBe(400);
    }
  });
});

/** An in-house REST endpoint that takes 800 ms, and counts how often it is asked. */
function slowCrm(delayMs = 800) {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    const phone = new URL(req.url ?? '/', 'http://x').searchParams.get('phone');
    setTimeout(() => {
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify(phone === JANE ? [{ id: 'crm-1', name: 'Jane Doe', phones: [JANE] }] : []),
      );
    }, delayMs);
  });
  return {
    async listen() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function withSlowCrm(crmUrl: string, store?: unknown) {
  return {
    sources: [
      { id: 'demo', type: 'demo' },
      {
        id: 'crm',
        type: 'rest',
        url: `${crmUrl}/customers?phone={value}`,
        map: { id: 'id', displayName: 'name', phones: 'phones' },
      },
    ],
    ...(store ? { store } : {}),
  };
}

describe('the warm screen', () => {
  const crm = slowCrm();
  let crmUrl = '';
  beforeAll(async () => {
    crmUrl = await crm.listen();
  });
  afterAll(() => crm.close());

  it("after an IVR lookup, the agent's /v1/context does not ask the slow source again", async () => {
    const url = await start(withSlowCrm(crmUrl));
    const before = crm.requests();
    const answer = await answerFor(url, ani(JANE));
    expect(answer.partial).toBe(false);
    expect(crm.requests()).toBe(before + 1);
    const res = await fetch(`${url}/v1/context?identity=${encodeURIComponent(`phone:${JANE}`)}`, {
      headers: AGENT,
    });
    const context = (await res.json()) as CallerContext;
    expect(context.errors).toEqual([]);
    expect(context.matches.map((m) => m.profile.source).sort()).toEqual(['crm', 'demo']);
    expect(crm.requests()).toBe(before + 1);
    // Nor does the live activity stream the sidebar opens next.
    const stream = new AbortController();
    const live = await fetch(
      `${url}/v1/activity/stream?identity=${encodeURIComponent(`phone:${JANE}`)}`,
      { headers: AGENT, signal: stream.signal },
    );
    const reader = live.body?.getReader();
    let text = '';
    while (reader && !text.includes(': subscribed')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    stream.abort();
    expect(text).toContain(': subscribed');
    expect(crm.requests()).toBe(before + 1);
    // Another caller was not looked up by the IVR: the agent's lookup asks the sources.
    await fetch(`${url}/v1/context?identity=${encodeURIComponent('phone:+447700900999')}`, {
      headers: AGENT,
    });
    expect(crm.requests()).toBe(before + 2);
  });

  it('a source slower than the IVR budget leaves the answer partial, never an error', async () => {
    const slower = slowCrm(2500);
    const slowerUrl = await slower.listen();
    try {
      const url = await start(withSlowCrm(slowerUrl));
      const res = await lookup(url, ani(JANE));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        known: true,
        firstName: 'Jane',
        route: { reason: 'own_manager_unavailable' },
        partial: true,
      });
    } finally {
      await slower.close();
    }
  });
});

describe('two replicas sharing a Redis', () => {
  let redis: PrivateRedis;
  const crm = slowCrm();
  let crmUrl = '';
  beforeAll(async () => {
    redis = await startPrivateRedis();
    crmUrl = await crm.listen();
  });
  afterAll(async () => {
    await crm.close();
    await redis?.stop();
  });

  // Each test its own prefix: the replicas of one test share their state, the tests do not.
  it('presence reported to one replica routes the IVR on the other', async () => {
    const store = { type: 'redis', url: redis.url, prefix: 'presence-test:' };
    const [one, two] = [await start({ store }), await start({ store })];
    expect((await report(one as string, 'available')).status).toBe(200);
    expect((await answerFor(two as string, ani(JANE))).route).toEqual({
      to: 'agent',
      agent: MARCO_AGENT,
      reason: 'own_manager',
    });
  });

  it("the IVR's lookup on one replica warms the agent's screen on the other", async () => {
    const store = { type: 'redis', url: redis.url, prefix: 'warm-test:' };
    const [one, two] = [
      await start(withSlowCrm(crmUrl, store)),
      await start(withSlowCrm(crmUrl, store)),
    ];
    const before = crm.requests();
    await answerFor(one as string, ani(JANE));
    const res = await fetch(
      `${two as string}/v1/context?identity=${encodeURIComponent(`phone:${JANE}`)}`,
      { headers: AGENT },
    );
    expect(((await res.json()) as CallerContext).matches).toHaveLength(2);
    expect(crm.requests()).toBe(before + 1);
  });
});

describe('"Make me their manager"', () => {
  const sophie = '+33612345678';
  const event = (makeMeManager: boolean) => ({
    id: crypto.randomUUID(),
    type: 'call.logged',
    callId: 'call-7',
    identity: { namespace: 'phone', value: sophie },
    rawNumber: '+33 6 12 34 56 78',
    profile: { id: 'cust-1006', source: 'demo', name: 'Sophie Martin' },
    disposition: { code: 'resolved', label: 'Resolved' },
    notes: '',
    ringingAt: '2026-11-21T09:00:00.000Z',
    connectedAt: '2026-11-21T09:00:05.000Z',
    endedAt: '2026-11-21T09:04:05.000Z',
    talkSeconds: 240,
    loggedAt: '2026-11-21T09:05:00.000Z',
    ...(makeMeManager ? { makeMeManager: true } : {}),
  });
  const post = (url: string, body: unknown, headers: Record<string, string> = MARCO) =>
    fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('routes the customer to the agent who chose it, at once, and the sink gets the manager', async () => {
    const received: unknown[] = [];
    const segment = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => {
        text += chunk;
      });
      req.on('end', () => {
        received.push({ path: req.url, body: JSON.parse(text) });
        res.end('{"success":true}');
      });
    });
    await new Promise<void>((resolve) => segment.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(segment.address() as AddressInfo).port}`;
    try {
      const sinks = [{ id: 'segment', type: 'segment', baseUrl, writeKeyEnv: 'SEGMENT_WRITE_KEY' }];
      const gateway = await startGateway(demoConfig({ sinks }), {
        host: '127.0.0.1',
        port: 0,
        logger: silentLogger,
        sinks: createSinkForwarder(sinks, { env: { SEGMENT_WRITE_KEY: 'write-key' } }),
      });
      running.push(gateway);
      const url = gateway.url;
      expect((await answerFor(url, ani(sophie))).route.reason).toBe('no_own_manager');
      expect((await post(url, event(true))).status).toBe(202);
      const answer = await answerFor(url, ani(sophie));
      expect(answer.ownManager).toEqual({ ...MARCO_AGENT, available: false, state: 'offline' });
      expect(answer.route.reason).toBe('own_manager_unavailable');
      await report(url, 'available');
      expect((await answerFor(url, ani(sophie))).route).toEqual({
        to: 'agent',
        agent: MARCO_AGENT,
        reason: 'own_manager',
      });
      // Delivery runs from the store's queue after the 202: wait for the sink to be called.
      for (let i = 0; i < 100 && received.length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(received).toEqual([
        {
          path: '/v1/batch',
          body: {
            batch: [
              expect.objectContaining({ type: 'track', userId: 'cust-1006' }),
              expect.objectContaining({
                type: 'identify',
                userId: 'cust-1006',
                traits: {
                  managerEmail: 'marco.rossi@laboutique.example',
                  managerName: 'Marco Rossi',
                  managerId: 'emp-17',
                },
              }),
            ],
          },
        },
      ]);
    } finally {
      segment.closeAllConnections();
      await new Promise<void>((resolve) => segment.close(() => resolve()));
    }
  });

  it('changes nothing for a token that names no agent, or without the choice', async () => {
    const url = await start();
    expect((await post(url, event(true), AGENT)).status).toBe(202);
    expect((await post(url, event(false))).status).toBe(202);
    expect((await answerFor(url, ani(sophie))).ownManager).toBeNull();
  });

  it('a client cannot name someone else as the manager', async () => {
    const url = await start();
    const forged = { ...event(true), newManager: { email: 'boss@example.com', name: 'Boss' } };
    expect((await post(url, forged)).status).toBe(202);
    expect((await answerFor(url, ani(sophie))).ownManager).toMatchObject(MARCO_AGENT);
  });
});

describe('an agent signed in with OIDC', () => {
  let idp: Server;
  let issuer = '';
  let key: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    idp = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration')
        return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
      if (req.url === '/keys') return res.end(JSON.stringify({ keys: [jwk] }));
      res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    idp.closeAllConnections();
    await new Promise((resolve) => idp.close(resolve));
  });

  it("reports presence by the token's email, and the IVR routes their customers to them", async () => {
    const url = await start({
      auth: {
        tokens: ['demo-token'],
        ivrTokens: ['demo-ivr-key'],
        oidc: { issuer, audience: 'caller-context' },
      },
    });
    const jwt = await new SignJWT({ email: 'Marco.Rossi@laboutique.example', name: 'Marco Rossi' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('3f1c7a52')
      .setIssuer(issuer)
      .setAudience('caller-context')
      .setExpirationTime('10m')
      .sign(key);
    const res = await report(url, 'available', { Authorization: `Bearer ${jwt}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      agent: { email: 'marco.rossi@laboutique.example', id: '3f1c7a52', name: 'Marco Rossi' },
    });
    expect((await answerFor(url, ani(JANE))).route).toMatchObject({
      to: 'agent',
      reason: 'own_manager',
      agent: { name: 'Marco Rossi' },
    });
  });
});
