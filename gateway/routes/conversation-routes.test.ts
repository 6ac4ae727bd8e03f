import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationAnswer, LiveCallsAnswer } from '../../shared/conversation';
import { createGateway } from '../app';
import { silentLogger } from '../request-log';
import { type RunningGateway, startGateway } from '../server';
import { RedisStore } from '../store/redis-store';
import { demoConfig } from '../test-support/fixtures';
import { type PrivateRedis, startPrivateRedis } from '../test-support/redis-server';
import { openStream } from '../test-support/replica-harness';

/** Tokens of the demo config (demo/gateway.config.json). */
const MARCO = { Authorization: 'Bearer demo-marco-token' };
const ALEX = { Authorization: 'Bearer demo-alex-token' };
const SOFIA = { Authorization: 'Bearer demo-sofia-token' };
const SHARED = { Authorization: 'Bearer demo-token' };
const IVR = { Authorization: 'Bearer demo-ivr-key' };
const COLLECT = { Authorization: 'Bearer demo-collect-key' };
const TOM_AND_TESSA = 'phone:+442079460456';

const running: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
});

async function start(overrides: Record<string, unknown> = {}): Promise<string> {
  const gateway = await startGateway(demoConfig(overrides), {
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    heartbeatMs: 60_000,
  });
  running.push(gateway);
  const { store } = gateway.gateway;
  if (store instanceof RedisStore) await store.ready();
  return gateway.url;
}

function post(url: string, path: string, headers: Record<string, string>, body: unknown) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function join(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<ConversationAnswer> {
  const response = await post(url, '/v1/conversations', headers, body);
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationAnswer;
}

describe('conversation routes with the demo config', () => {
  it('let in only agents with a token of their own; IVR and collect keys reach nothing', async () => {
    const url = await start();
    const body = { callId: 'CA-100', identity: TOM_AND_TESSA };
    for (const key of [IVR, COLLECT]) {
      expect((await post(url, '/v1/conversations', key, body)).status).toBe(401);
      expect((await fetch(`${url}/v1/conversations/live`, { headers: key })).status).toBe(401);
    }
    // A shared token is an agent's, but names nobody: a conversation needs to know who speaks.
    const shared = await post(url, '/v1/conversations', SHARED, body);
    expect(shared.status).toBe(403);
    expect(((await shared.json()) as { error: { code: string } }).error.code).toBe('no_agent');
    const { conversation, you } = await join(url, MARCO, body);
    expect(you).toEqual({
      key: 'marco.rossi@laboutique.example',
      name: 'Marco Rossi',
      role: 'agent',
      supervisor: false,
    });
    // The IVR key cannot read it either, even knowing its id.
    const path = `/v1/conversations/${conversation.id}`;
    expect((await fetch(`${url}${path}`, { headers: IVR })).status).toBe(401);
    expect((await fetch(`${url}${path}/events`, { headers: COLLECT })).status).toBe(401);
    // Another agent who was never on it does not learn that it exists.
    expect((await fetch(`${url}${path}`, { headers: ALEX })).status).toBe(404);
    expect((await post(url, `${path}/notes`, ALEX, { text: 'hello' })).status).toBe(404);
  });

  it('refuse bad input with 400', async () => {
    const url = await start();
    expect((await post(url, '/v1/conversations', MARCO, {})).status).toBe(400);
    expect((await post(url, '/v1/conversations', MARCO, { identity: 'phone:12' })).status).toBe(
      400,
    );
    expect((await post(url, '/v1/conversations', MARCO, { callId: 7 })).status).toBe(400);
    const { conversation } = await join(url, MARCO, { identity: TOM_AND_TESSA });
    const path = `/v1/conversations/${conversation.id}`;
    expect((await post(url, `${path}/notes`, MARCO, { text: '  ' })).status).toBe(400);
    expect((await post(url, `${path}/notes`, MARCO, { text: 'x'.repeat(2001) })).status).toBe(400);
    expect((await post(url, `${path}/pick`, MARCO, {})).status).toBe(400);
    expect((await post(url, `${path}/handover`, MARCO, { note: 'x', wrapUp: 5 })).status).toBe(400);
    expect((await post(url, `${path}/leave`, MARCO, { wrapUp: { notes: 7 } })).status).toBe(400);
    expect((await fetch(`${url}/v1/conversations/not%20an%20id`, { headers: MARCO })).status).toBe(
      404,
    );
  });

  it('limit writes per agent, across every write route; reads and other agents go on', async () => {
    const url = await start({ rateLimits: { conversationWritesPerAgent: 4 } });
    const { conversation } = await join(url, MARCO, {
      callId: 'CA-LIMIT',
      identity: TOM_AND_TESSA,
    });
    const path = `/v1/conversations/${conversation.id}`;
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await post(url, `${path}/notes`, MARCO, { text: `note ${i}` })).status);
    const refused = await post(url, `${path}/pick`, MARCO, { profileId: 'tessa' });
    expect([...statuses, refused.status]).toEqual([201, 201, 201, 429]);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Nothing of the refused write was kept; reading is not a write.
    const read = await fetch(`${url}${path}`, { headers: MARCO });
    expect(read.status).toBe(200);
    const { conversation: kept } = (await read.json()) as ConversationAnswer;
    expect(kept.notes.map((n) => n.text)).toEqual(['note 0', 'note 1', 'note 2']);
    // Another agent is not held back by the first one's count.
    expect((await join(url, ALEX, { callId: 'CA-LIMIT' })).conversation.id).toBe(conversation.id);
  });

  it('hand the next agent the pick, the note and the wrap-up so far', async () => {
    const url = await start();
    const { conversation } = await join(url, MARCO, {
      callId: 'softphone-a',
      identity: TOM_AND_TESSA,
      summary: { name: 'Tessa Baker', tier: 'Gold', insights: [] },
    });
    const path = `/v1/conversations/${conversation.id}`;
    expect(
      (await post(url, `${path}/pick`, MARCO, { profileId: 'cust-tessa', name: 'Tessa Baker' }))
        .status,
    ).toBe(200);
    const handover = await post(url, `${path}/handover`, MARCO, {
      note: 'Wants the refund; I promised a call back',
      wrapUp: { disposition: 'follow_up', dispositionLabel: 'Follow-up needed', notes: 'refund' },
    });
    expect(handover.status).toBe(200);
    // The transfer reaches Alex's softphone under a call id of its own.
    const next = await join(url, ALEX, { callId: 'softphone-b', identity: TOM_AND_TESSA });
    expect(next.conversation.id).toBe(conversation.id);
    expect(next.conversation.picked).toMatchObject({
      profileId: 'cust-tessa',
      name: 'Tessa Baker',
      by: { name: 'Marco Rossi' },
    });
    expect(next.conversation.handoffs).toEqual([
      expect.objectContaining({
        by: { key: 'marco.rossi@laboutique.example', name: 'Marco Rossi' },
        note: 'Wants the refund; I promised a call back',
        wrapUp: {
          disposition: 'follow_up',
          dispositionLabel: 'Follow-up needed',
          notes: 'refund',
        },
      }),
    ]);
    const note = await post(url, `${path}/notes`, ALEX, { id: 'n-1', text: 'Refund approved' });
    expect(note.status).toBe(201);
    const again = await post(url, `${path}/notes`, ALEX, { id: 'n-1', text: 'Refund approved' });
    expect(again.status).toBe(201);
    // Marco handed over, yet still reads the notes of the call he was on.
    const read = await fetch(`${url}${path}`, { headers: MARCO });
    const seen = (await read.json()) as ConversationAnswer;
    expect(seen.conversation.notes.map((n) => [n.by.name, n.text])).toEqual([
      ['Alex Agent', 'Refund approved'],
    ]);
  });

  it('list live calls only for a supervisor, who listens in and adds notes', async () => {
    const url = await start();
    await post(url, '/v1/presence', MARCO, { state: 'busy' });
    const { conversation } = await join(url, MARCO, {
      callId: 'CA-7',
      identity: 'phone:+442079460123',
      summary: {
        name: 'Jane Doe',
        tier: 'Gold',
        since: new Date().toISOString(),
        insights: [
          { kind: 'read_returns', times: 3, at: new Date().toISOString(), events: ['e1', 'e2'] },
          { kind: 'made_up', at: new Date().toISOString() },
        ],
      },
    });
    const denied = await fetch(`${url}/v1/conversations/live`, { headers: MARCO });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe(
      'not_supervisor',
    );
    const listed = await fetch(`${url}/v1/conversations/live`, { headers: SOFIA });
    expect(listed.status).toBe(200);
    const live = (await listed.json()) as LiveCallsAnswer;
    expect(live.agents.map((a) => [a.name, a.state])).toEqual([
      ['Alex Agent', 'offline'],
      ['Marco Rossi', 'busy'],
      ['Sofia Bianchi', 'offline'],
    ]);
    expect(live.calls).toEqual([
      expect.objectContaining({
        id: conversation.id,
        summary: expect.objectContaining({
          name: 'Jane Doe',
          tier: 'Gold',
          insights: [expect.objectContaining({ kind: 'read_returns', times: 3 })],
        }),
        agents: [expect.objectContaining({ name: 'Marco Rossi', role: 'agent' })],
      }),
    ]);
    const path = `/v1/conversations/${conversation.id}`;
    expect((await post(url, `${path}/monitor`, MARCO, {})).status).toBe(403);
    const monitored = await post(url, `${path}/monitor`, SOFIA, {});
    expect(monitored.status).toBe(200);
    expect(((await monitored.json()) as ConversationAnswer).you).toMatchObject({
      role: 'monitor',
      supervisor: true,
    });
    expect((await post(url, `${path}/notes`, SOFIA, { text: 'Offer the voucher' })).status).toBe(
      201,
    );
    // A listener does not hand the call over or pick for the agent.
    expect((await post(url, `${path}/handover`, SOFIA, { note: '' })).status).toBe(403);
    const read = (await (
      await fetch(`${url}${path}`, { headers: MARCO })
    ).json()) as ConversationAnswer;
    expect(read.conversation.notes.map((n) => n.by.name)).toEqual(['Sofia Bianchi']);
  });
});

describe('live notes across replicas', { timeout: 30_000 }, () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('reach a follower on one replica when written on another', async () => {
    const store = { type: 'redis', url: redis.url, prefix: 'notes-test:' };
    const [first, second] = await Promise.all([start({ store }), start({ store })]);
    const { conversation } = await join(first, MARCO, { callId: 'CA-1', identity: TOM_AND_TESSA });
    await join(second, ALEX, { callId: 'CA-1' });
    const path = `/v1/conversations/${conversation.id}/events`;
    const { status, reader } = await openStream(`${first}${path}`, MARCO);
    expect(status).toBe(200);
    if (!reader) throw new Error('no stream');
    try {
      await reader.until((messages) => messages.length >= 1);
      const response = await post(second, `/v1/conversations/${conversation.id}/notes`, ALEX, {
        text: 'Customer is on hold for the warehouse',
      });
      expect(response.status).toBe(201);
      await reader.until((messages) =>
        messages.some((m) => m.data.includes('Customer is on hold for the warehouse')),
      );
      const last = JSON.parse(reader.messages.at(-1)?.data ?? '{}') as ConversationAnswer;
      expect(last.you.key).toBe('marco.rossi@laboutique.example');
      expect(last.conversation.notes.map((n) => n.by.name)).toEqual(['Alex Agent']);
    } finally {
      reader.close();
    }
  });
});

describe('the supervisor role from an OIDC claim', { timeout: 20_000 }, () => {
  let idp: Server;
  let issuer: string;
  let signingKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    idp = createServer((request, response) => {
      const base = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
      response.setHeader('content-type', 'application/json');
      if (request.url === '/.well-known/openid-configuration')
        return response.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys` }));
      if (request.url === '/keys') return response.end(JSON.stringify({ keys: [jwk] }));
      response.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    idp?.closeAllConnections();
    await new Promise((resolve) => idp?.close(resolve));
  });

  const signed = (claims: Record<string, unknown>) =>
    new SignJWT({ name: 'Dana Lead', email: 'dana@example.com', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('dana')
      .setIssuer(issuer)
      .setAudience('api://caller-context')
      .setExpirationTime('5m')
      .sign(signingKey);

  it('opens Live calls to a token with the named claim, and to no other', async () => {
    const { app, close } = createGateway(
      demoConfig({
        auth: {
          tokens: ['demo-token'],
          oidc: {
            issuer,
            audience: 'api://caller-context',
            supervisor: { claim: 'realm_access.roles', value: 'cc-supervisor' },
          },
        },
      }),
      { logger: silentLogger, deliverInBackground: false },
    );
    try {
      const live = async (claims: Record<string, unknown>) =>
        app.request('/v1/conversations/live', {
          headers: { Authorization: `Bearer ${await signed(claims)}` },
        });
      const supervisor = await live({ realm_access: { roles: ['agent', 'cc-supervisor'] } });
      expect(supervisor.status).toBe(200);
      const agents = ((await supervisor.json()) as LiveCallsAnswer).agents.map((a) => a.name);
      expect(agents).toContain('Dana Lead');
      expect((await live({ realm_access: { roles: ['agent'] } })).status).toBe(403);
      expect((await live({ roles: ['cc-supervisor'] })).status).toBe(403);
    } finally {
      await close();
    }
  });
});
