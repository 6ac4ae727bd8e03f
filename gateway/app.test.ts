import { describe, expect, it } from 'vitest';
import type { ActivityEvent, CallerContext } from '../shared/model';
import { createGateway, type GatewayOptions } from './app';
import { MemoryLiveBuffer } from './live-buffer';
import { silentLogger } from './request-log';
import { createDemoSource, DEFAULT_SEED_FILE } from './sources/demo';
import { readSeedFile } from './sources/demo-seed';
import type { Source } from './sources/source';
import { AGENT, demoConfig, SITE } from './test-support/fixtures';

function gateway(options: GatewayOptions = {}, overrides: Record<string, unknown> = {}) {
  return createGateway(demoConfig(overrides), { logger: silentLogger, ...options });
}

async function getContext(app: ReturnType<typeof gateway>['app'], identity: string) {
  const res = await app.request(`/v1/context?identity=${encodeURIComponent(identity)}`, {
    headers: AGENT,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as CallerContext;
}

function post(body: unknown, headers: Record<string, string> = AGENT) {
  return {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

describe('auth', () => {
  it('refuses /v1 without a token and with a wrong one, as JSON', async () => {
    const { app } = gateway();
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: 'Bearer nope' },
      { Authorization: 'demo-token' },
    ];
    for (const headers of attempts) {
      const res = await app.request('/v1/context?identity=phone:+442079460123', { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('unauthorized');
    }
  });

  it('serves /healthz without a token', async () => {
    const res = await gateway().app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('accepts the collect token for POST /v1/collect only', async () => {
    const { app } = gateway();
    const collected = await app.request(
      '/v1/collect',
      post({ identity: 'email:jane.doe@example.com', events: [{ type: 'page_view' }] }, SITE),
    );
    expect(collected.status).toBe(202);
    const context = await app.request('/v1/context?identity=phone:+442079460123', {
      headers: SITE,
    });
    expect(context.status).toBe(401);
    const events = await app.request('/v1/events', post({ id: 'e1' }, SITE));
    expect(events.status).toBe(401);
  });
});

describe('GET /v1/context', () => {
  it("returns Jane Doe's profile, open case, owner and seeded activity newest first", async () => {
    const context = await getContext(gateway().app, 'phone:+442079460123');
    expect(context.identity).toEqual({ namespace: 'phone', value: '+442079460123' });
    expect(context.errors).toEqual([]);
    expect(Number.isNaN(Date.parse(context.fetchedAt))).toBe(false);
    expect(context.matches).toHaveLength(1);
    const [jane] = context.matches;
    expect(jane?.profile.displayName).toBe('Jane Doe');
    expect(jane?.profile.source).toBe('demo');
    expect(jane?.profile.owner?.name).toBe('Marco Rossi');
    expect(jane?.cases.map((c) => c.status)).toEqual(['Open', 'Resolved']);
    expect(jane?.activity.map((e) => e.title)).toEqual([
      'Drip tray for Espresso Pro',
      'Returns and replacements',
      'Returns and replacements',
    ]);
    const times = jane?.activity.map((e) => Date.parse(e.at)) ?? [];
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('returns both customers who share +442079460456', async () => {
    const context = await getContext(gateway().app, 'phone:+442079460456');
    expect(context.matches.map((m) => m.profile.displayName).sort()).toEqual([
      'Tessa Baker',
      'Tom Baker',
    ]);
  });

  it('returns no match for an unknown number', async () => {
    const context = await getContext(gateway().app, 'phone:+442079460000');
    expect(context.matches).toEqual([]);
    expect(context.errors).toEqual([]);
  });

  it('shows that Luis García denied personalisation (found by email, any case)', async () => {
    const context = await getContext(gateway().app, 'email:Luis.Garcia@Example.com');
    expect(context.matches[0]?.profile.displayName).toBe('Luis García');
    expect(context.matches[0]?.profile.consent?.personalisation).toBe('denied');
  });

  it.each([
    ['', 'identity is required'],
    ['phone:12', 'E.164'],
    ['nonsense', 'namespace:value'],
  ])('answers 400 for identity "%s"', async (identity, message) => {
    const query = identity ? `?identity=${encodeURIComponent(identity)}` : '';
    const res = await gateway().app.request(`/v1/context${query}`, { headers: AGENT });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain(message);
  });

  it('answers 400 for a bad since on /v1/activity', async () => {
    const res = await gateway().app.request(
      '/v1/activity?identity=phone:%2B442079460123&since=yesterday',
      { headers: AGENT },
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toContain('since must be an ISO 8601 date-time');
  });
});

describe('failing sources', () => {
  const throwing: Source = {
    id: 'broken',
    lookup: async () => {
      throw new Error('upstream said 503');
    },
    activity: async () => {
      throw new Error('upstream said 503');
    },
  };
  const hanging: Source = {
    id: 'slow',
    // Ignores the abort signal on purpose: the gateway must cut it off anyway.
    lookup: () => new Promise<never>(() => {}),
    activity: () => new Promise<never>(() => {}),
  };

  function withFakes() {
    const live = new MemoryLiveBuffer();
    const demo = createDemoSource({
      id: 'demo',
      customers: readSeedFile(DEFAULT_SEED_FILE),
      live,
      createdAt: new Date(),
    });
    return gateway({ live, sources: [throwing, demo, hanging] }, { sourceTimeoutMs: 150 });
  }

  it('reports each failure in errors and still returns the demo matches', async () => {
    const started = Date.now();
    const context = await getContext(withFakes().app, 'phone:+442079460123');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(context.matches.map((m) => m.profile.displayName)).toEqual(['Jane Doe']);
    expect(context.errors).toEqual([
      { source: 'broken', message: 'upstream said 503' },
      { source: 'slow', message: 'timed out after 150 ms' },
    ]);
  });

  it('does the same for /v1/activity', async () => {
    const res = await withFakes().app.request('/v1/activity?identity=phone:+442079460123', {
      headers: AGENT,
    });
    const body = (await res.json()) as { events: ActivityEvent[]; errors: unknown[] };
    expect(body.events).toHaveLength(3);
    expect(body.errors).toHaveLength(2);
  });
});

describe('POST /v1/collect', () => {
  it("shows an event collected by email at once in the phone lookup's context and activity", async () => {
    const { app } = gateway();
    const before = new Date(Date.now() - 1000).toISOString();
    const res = await app.request(
      '/v1/collect',
      post(
        {
          identity: 'email:jane.doe@example.com',
          events: [
            { type: 'cart_add', title: 'Drip tray', value: 19, currency: 'GBP', url: '/shop/cart' },
          ],
        },
        SITE,
      ),
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 1 });

    const context = await getContext(app, 'phone:+442079460123');
    const newest = context.matches[0]?.activity[0];
    expect(newest).toMatchObject({ type: 'cart_add', title: 'Drip tray', source: 'web' });
    // Made by the gateway, under the posting key's own scope.
    expect(newest?.id).toMatch(/^collect:[0-9a-f]{10}:[0-9a-f-]{36}$/);

    const activity = await app.request(
      `/v1/activity?identity=phone:+442079460123&since=${encodeURIComponent(before)}`,
      { headers: AGENT },
    );
    const { events } = (await activity.json()) as { events: ActivityEvent[] };
    expect(events.map((e) => e.title)).toEqual(['Drip tray']);
  });

  it('keeps a client id and does not store a retried event twice', async () => {
    const { app } = gateway();
    const batch = { identity: 'phone:+442079460123', events: [{ id: 'site-1', type: 'search' }] };
    await app.request('/v1/collect', post(batch));
    await app.request('/v1/collect', post(batch));
    const context = await getContext(app, 'phone:+442079460123');
    const kept = context.matches[0]?.activity.filter((e) => e.id.endsWith(':site-1'));
    expect(kept).toHaveLength(1);
  });

  it("scopes event ids by key: another key's event with the same id cannot displace it", async () => {
    const { app } = gateway();
    const identity = 'phone:+442079460123';
    // The agent token posts first, as someone trying to pre-claim the site's id would.
    await app.request(
      '/v1/collect',
      post({ identity, events: [{ id: 'order-7', type: 'search', title: 'planted' }] }),
    );
    const genuine = { identity, events: [{ id: 'order-7', type: 'purchase', title: 'genuine' }] };
    expect((await app.request('/v1/collect', post(genuine, SITE))).status).toBe(202);
    const context = await getContext(app, identity);
    const titles = context.matches[0]?.activity
      .filter((e) => e.id.endsWith(':order-7'))
      .map((e) => e.title);
    expect(titles?.sort()).toEqual(['genuine', 'planted']);
  });

  it.each([
    [{ identity: 'demo:cust-1001', events: [{ type: 'page_view' }] }, 'email: or phone:'],
    [{ identity: 'email:jane.doe@example.com', events: [] }, '1 to 100'],
    [
      { identity: 'email:jane.doe@example.com', events: [{ type: 'Page View!' }] },
      'events[0].type',
    ],
    [
      {
        identity: 'email:jane.doe@example.com',
        events: [{ type: 'page_view', url: 'javascript:alert(1)' }],
      },
      'events[0].url',
    ],
    [
      { identity: 'email:jane.doe@example.com', events: [{ type: 'x', at: 'yesterday' }] },
      'events[0].at',
    ],
  ])('refuses a bad batch with 400 (%#)', async (body, message) => {
    const res = await gateway().app.request('/v1/collect', post(body));
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toContain(message);
  });
});

describe('POST /v1/events', () => {
  it('accepts a repeated id twice with 202 and stores it once', async () => {
    const { app, events } = gateway();
    const event = { id: 'call-42-wrapup', disposition: 'resolved', note: 'replacement sent' };
    const first = await app.request('/v1/events', post(event));
    const second = await app.request('/v1/events', post({ ...event, note: 'retry' }));
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ id: 'call-42-wrapup', duplicate: false });
    expect(second.status).toBe(202);
    expect(await second.json()).toEqual({ id: 'call-42-wrapup', duplicate: true });
    // Stamped with the agent who logged it: the static token's name here.
    expect(await events.list()).toEqual([
      { ...event, agent: { id: expect.stringMatching(/^token:[0-9a-f]{10}$/) } },
    ]);
  });

  it('answers 400 for invalid JSON and for a missing id', async () => {
    const { app } = gateway();
    const broken = await app.request('/v1/events', post('{"id": "x",'));
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({
      error: { code: 'invalid_json', message: 'the request body is not valid JSON' },
    });
    const noId = await app.request('/v1/events', post({ note: 'x' }));
    expect(noId.status).toBe(400);
  });
});

describe('errors and CORS', () => {
  it('answers unknown routes with 404 JSON', async () => {
    const res = await gateway().app.request('/v1/nothing', { headers: AGENT });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no such route' } });
  });

  it('answers an unexpected exception with a generic 500 and logs it', async () => {
    const logged: unknown[] = [];
    const exploding: Source = {
      id: 'x',
      lookup: async () => [],
      activity: async () => [],
    };
    const { app } = gateway({
      sources: [exploding],
      logger: { info() {}, error: (_line, error) => logged.push(error) },
      live: {
        append: async () => {
          throw new TypeError('bug');
        },
        since: async () => [],
        follow: async () => ({ unsubscribe: async () => {} }),
        head: async () => '0',
      },
    });
    const res = await app.request(
      '/v1/collect',
      post({ identity: 'phone:+442079460123', events: [{ type: 'search' }] }),
    );
    expect(res.status).toBe(500);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('internal_error');
    expect(error.message).not.toContain('bug');
    expect(logged.filter((error) => error instanceof TypeError)).toHaveLength(1);
  });

  it.each([
    ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', true],
    ['moz-extension://0b8d5a2e-4c1f-4f6a-9e7d-3a2b1c0d9e8f', true],
    ['http://127.0.0.1:8788', true],
    ['https://evil.example', false],
  ])('preflight from %s allowed: %s', async (origin, allowed) => {
    const res = await gateway().app.request('/v1/context?identity=phone:+442079460123', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe(allowed ? origin : null);
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain(
      'authorization',
    );
  });

  it('logs one structured line per request with the principal and a keyed hash of the identity, never the identity, token or query', async () => {
    const lines: Record<string, unknown>[] = [];
    const { app } = gateway({
      logger: { info: (msg, fields) => lines.push({ msg, ...fields }), error() {} },
    });
    await app.request('/v1/context?identity=email:jane.doe@example.com', { headers: AGENT });
    await app.request('/v1/context?identity=email:jane.doe@example.com', { headers: AGENT });
    await app.request('/v1/context/jane.doe@example.com', { headers: AGENT });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      msg: 'request',
      method: 'GET',
      route: '/v1/context',
      status: 200,
      principal: expect.stringMatching(/^token:[0-9a-f]{10}$/),
      identity: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    // The same caller hashes alike, so their lines can be found together.
    expect(lines[1]?.identity).toBe(lines[0]?.identity);
    expect(lines[2]).toMatchObject({ route: '(no route)', status: 404 });
    expect(JSON.stringify(lines)).not.toMatch(/jane|demo-token/);
  });
});
