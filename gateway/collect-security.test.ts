import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/model';
import { silentLogger } from './request-log';
import { type RunningGateway, startGateway } from './server';
import { AGENT, demoConfig, SITE } from './test-support/fixtures';

const SECRET = 'shop-identity-secret-0123456789abcdef';
const SITE_KEY = { Authorization: 'Bearer demo-site-key', 'Content-Type': 'application/json' };
const JANE_EMAIL = 'email:jane.doe@example.com';
const JANE_PHONE = 'phone:+442079460123';

let running: RunningGateway | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const MARCO = {
  token: 'demo-marco-token',
  email: 'marco.rossi@laboutique.example',
  name: 'Marco Rossi',
};

async function start(
  overrides: Record<string, unknown> = {},
  env: Record<string, string> = { SHOP_SECRET: SECRET },
) {
  // One fixed moment: rate limits count in minute windows, which a test must not straddle.
  const moment = new Date();
  running = await startGateway(
    demoConfig({
      auth: {
        tokens: ['demo-token'],
        collectTokens: ['demo-collect-key'],
        siteKeys: [{ key: 'demo-site-key', identitySecretEnv: 'SHOP_SECRET', name: 'shop' }],
        agents: [MARCO],
      },
      ...overrides,
    }),
    { port: 0, logger: silentLogger, env, now: () => moment },
  );
  return running;
}

function identityToken(
  sub: string,
  options: { expiresIn?: string | number; secret?: string; alg?: string; noExp?: boolean } = {},
) {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setSubject(sub)
    .setIssuedAt();
  if (!options.noExp) jwt.setExpirationTime(options.expiresIn ?? '10m');
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

async function collect(url: string, body: unknown, headers: Record<string, string> = SITE_KEY) {
  return fetch(`${url}/v1/collect`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function titlesFor(url: string, identity: string): Promise<string[]> {
  const response = await fetch(`${url}/v1/activity?identity=${encodeURIComponent(identity)}`, {
    headers: AGENT,
  });
  const { events } = (await response.json()) as { events: ActivityEvent[] };
  return events.flatMap((event) => (event.title ? [event.title] : []));
}

const planted = { type: 'page_view', title: 'Account recovery: caller verified by SMS' };

describe('a public site key', { timeout: 30_000 }, () => {
  it('plants nothing without a valid identity token for that very identity', async () => {
    const { url } = await start();
    const cases: [string, unknown][] = [
      ['no token', { identity: JANE_EMAIL, events: [planted] }],
      [
        'expired',
        {
          identity: JANE_EMAIL,
          events: [planted],
          identityToken: await identityToken(JANE_EMAIL, {
            expiresIn: Math.floor(Date.now() / 1000) - 120,
          }),
        },
      ],
      [
        'signed with another secret',
        {
          identity: JANE_EMAIL,
          events: [planted],
          identityToken: await identityToken(JANE_EMAIL, {
            secret: 'someone-elses-secret-0123456789abcdef',
          }),
        },
      ],
      [
        'another algorithm',
        {
          identity: JANE_EMAIL,
          events: [planted],
          identityToken: await identityToken(JANE_EMAIL, { alg: 'HS512' }),
        },
      ],
      [
        'no expiry',
        {
          identity: JANE_EMAIL,
          events: [planted],
          identityToken: await identityToken(JANE_EMAIL, { noExp: true }),
        },
      ],
      [
        'expiring more than an hour ahead',
        {
          identity: JANE_EMAIL,
          events: [planted],
          identityToken: await identityToken(JANE_EMAIL, { expiresIn: '3h' }),
        },
      ],
      [
        "another customer's token",
        {
          identity: JANE_EMAIL,
          events: [planted],
          identityToken: await identityToken('email:tom.baker@example.com'),
        },
      ],
      ['garbage', { identity: JANE_EMAIL, events: [planted], identityToken: 'x.y.z' }],
    ];
    for (const [label, body] of cases) {
      const response = await collect(url, body);
      expect(response.status, label).toBe(401);
    }
    expect(await titlesFor(url, JANE_EMAIL)).not.toContain(planted.title);
    expect(await titlesFor(url, JANE_PHONE)).not.toContain(planted.title);
  });

  it("posts for the customer its site signed in, the identity taken from the token's sub", async () => {
    const { url } = await start();
    const token = await identityToken(JANE_EMAIL);
    const explicit = await collect(url, {
      identity: JANE_EMAIL,
      identityToken: token,
      events: [{ type: 'product_view', title: 'Drip tray' }],
    });
    expect(explicit.status).toBe(202);
    const implicit = await collect(url, {
      identityToken: token,
      events: [{ type: 'cart_add', title: 'Drip tray in cart' }],
    });
    expect(implicit.status).toBe(202);
    expect(await titlesFor(url, JANE_EMAIL)).toEqual(
      expect.arrayContaining(['Drip tray', 'Drip tray in cart']),
    );
  });

  it('opens nothing but POST /v1/collect', async () => {
    const { url } = await start();
    const context = await fetch(`${url}/v1/context?identity=${encodeURIComponent(JANE_PHONE)}`, {
      headers: SITE_KEY,
    });
    expect(context.status).toBe(401);
  });

  it('is refused while the gateway has no secret for it, rather than trusting anyone', async () => {
    const { url } = await start({}, { SHOP_SECRET: '' });
    const response = await collect(url, {
      identity: JANE_EMAIL,
      identityToken: await identityToken(JANE_EMAIL),
      events: [planted],
    });
    expect(response.status).toBe(401);
  });
});

describe('rate limits', { timeout: 60_000 }, () => {
  it('turns a flood from one address away with 429 and Retry-After while an agent lookup is still answered', async () => {
    const { url } = await start({ rateLimits: { collectPerAddress: 20 } });
    const token = await identityToken(JANE_EMAIL);
    const body = { identityToken: token, events: [{ type: 'page_view', title: 'flood' }] };
    const flood = Array.from({ length: 60 }, () => collect(url, body));
    const lookup = fetch(`${url}/v1/context?identity=${encodeURIComponent(JANE_PHONE)}`, {
      headers: AGENT,
    });
    const answers = await Promise.all(flood);
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40);
    const refused = answers.find((answer) => answer.status === 429);
    expect(Number(refused?.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await refused?.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await lookup).status).toBe(200);
  });

  it('counts each client address apart behind a trusted proxy', async () => {
    const { url } = await start({ rateLimits: { collectPerAddress: 2, trustedProxyHops: 1 } });
    const token = await identityToken(JANE_EMAIL);
    const from = (address: string) =>
      collect(
        url,
        { identityToken: token, events: [{ type: 'page_view' }] },
        // The client may put anything left of what our proxy appended.
        { ...SITE_KEY, 'X-Forwarded-For': `6.6.6.6, ${address}` },
      );
    const statuses = [];
    for (const address of ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2'])
      statuses.push((await from(address)).status);
    expect(statuses).toEqual([202, 202, 429, 202]);
  });

  it('limits a key as a whole, whatever its addresses', async () => {
    const { url } = await start({ rateLimits: { collectPerKey: 3 } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await collect(
        url,
        { identity: JANE_EMAIL, events: [{ type: 'page_view' }] },
        { ...SITE, 'Content-Type': 'application/json' },
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it('limits lookups per principal, so a leaked token cannot walk the customer base', async () => {
    const { url } = await start({ rateLimits: { contextPerPrincipal: 3 } });
    const lookup = (token: string) =>
      fetch(`${url}/v1/context?identity=${encodeURIComponent(JANE_PHONE)}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await lookup('demo-token')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Another agent is not held back by the first one's count.
    expect((await lookup('demo-marco-token')).status).toBe(200);
  });
});

describe('bad input stays bad input', { timeout: 30_000 }, () => {
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  it.each([
    ['/v1/collect', SITE, (inner: string) => `{"identity":"${JANE_EMAIL}","events":${inner}}`],
    ['/v1/events', AGENT, (inner: string) => `{"id":"deep","notes":${inner}}`],
    [
      '/v1/presence',
      { Authorization: 'Bearer demo-marco-token' },
      (inner: string) => `{"state":${inner}}`,
    ],
  ])('%s answers JSON nested 9,000 deep with 400', async (route, headers, wrap) => {
    const { url } = await start();
    const response = await fetch(`${url}${route}`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: wrap(deep(9000)),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'too_deep' } });
  });
});
