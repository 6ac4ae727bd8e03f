import { afterEach, describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../shared/after-call';
import { createGateway, type Gateway } from './app';
import { DELIVERY_QUEUE } from './event-store';
import { silentLogger } from './request-log';
import { createSinkForwarder, type FetchLike } from './sink-forwarder';
import { AGENT, demoConfig } from './test-support/fixtures';
import { LOGGED_CALL } from './test-support/sink-examples';

// A call that was never answered.
const { connectedAt: _answered, ...unanswered } = LOGGED_CALL;
const event: AfterCallEvent = {
  ...unanswered,
  profile: { id: 'cust-1', source: 'demo', name: 'Jane Doe' },
  notes: 'ok',
  talkSeconds: 0,
};

const SINKS = [
  {
    id: 'aep-stream',
    type: 'aep',
    baseUrl: 'https://dcs.example.test',
    inletId: 'inlet',
    flowId: 'flow-1',
    tenant: 'acme',
    schemaId: 'https://ns.adobe.com/acme/schemas/call',
  },
  { id: 'segment', type: 'segment', baseUrl: 'https://segment.example.test', writeKeyEnv: 'WK' },
];

let open: Gateway | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

function setup(answer: (url: string) => number) {
  const calls: { url: string; headers: Record<string, string>; body: unknown }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({
      url,
      headers: init?.headers as Record<string, string>,
      body: JSON.parse(String(init?.body)),
    });
    return new Response('', { status: answer(url) });
  };
  const config = demoConfig({ sinks: SINKS });
  const gateway = createGateway(config, {
    logger: silentLogger,
    sinks: createSinkForwarder(config.sinks, { fetch, env: { WK: 'write-key' } }),
    // Retries at once, so the test waits on what happens, not on a backoff.
    delivery: { backoffMs: () => 20, pollMs: 20 },
  });
  open = gateway;
  const post = (body: unknown = event) =>
    gateway.app.request('/v1/events', {
      method: 'POST',
      headers: { ...AGENT, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  return { calls, post, gateway };
}

const urls = (calls: { url: string }[]) => calls.map((c) => c.url).sort();

describe('POST /v1/events with sinks', () => {
  it('answers 202 once stored, then delivers to each sink once, retrying the one that failed', async () => {
    let segmentUp = false;
    const { calls, post, gateway } = setup((url) =>
      url.includes('segment') && !segmentUp ? 503 : 200,
    );
    const first = await post();
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ id: event.id, duplicate: false });
    await expect.poll(() => calls.length, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    segmentUp = true;
    await expect
      .poll(async () => (await gateway.store.queue(DELIVERY_QUEUE).counts()).queued, {
        timeout: 5000,
      })
      .toBe(0);
    const adobe = calls.filter((c) => c.url.includes('dcs'));
    expect(adobe).toHaveLength(1);
    expect(adobe[0]?.headers['x-adobe-flow-id']).toBe('flow-1');
    // Segment refused (503) and was asked again until it took the event; then never again.
    const segment = calls.filter((c) => c.url.includes('segment'));
    expect(segment.length).toBeGreaterThanOrEqual(2);
    // Stamped with the agent who logged it (the static token's name here).
    const body = segment[0]?.body as { properties: { agent?: { id: string } } } | undefined;
    expect(body?.properties.agent?.id).toMatch(/^token:[0-9a-f]{10}$/);

    const repeat = await post();
    expect(repeat.status).toBe(202);
    expect(await repeat.json()).toEqual({ id: event.id, duplicate: true });
    const settled = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toHaveLength(settled);
    const [taken] = await gateway.events.list();
    const agent = taken?.agent as { id: string } | undefined;
    const marks = await gateway.events.deliveredTo(agent?.id ?? '', event.id);
    expect(Object.keys(marks).sort()).toEqual(['aep-stream', 'segment']);
  });

  it('delivers copies posted at the same time once per sink', async () => {
    const { calls, post, gateway } = setup(() => 200);
    const answers = await Promise.all([post(), post(), post()]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    await expect
      .poll(async () => (await gateway.store.queue(DELIVERY_QUEUE).counts()).queued, {
        timeout: 5000,
      })
      .toBe(0);
    expect(urls(calls)).toEqual([
      'https://dcs.example.test/collection/inlet',
      'https://segment.example.test/v1/track',
    ]);
  });

  it('hands the sinks the event stamped with the agent who logged it, never what the client claimed', async () => {
    const config = demoConfig({ sinks: SINKS });
    const handed: AfterCallEvent[] = [];
    const gateway = createGateway(config, {
      logger: silentLogger,
      sinks: {
        count: SINKS.length,
        async forward(forwarded, done) {
          handed.push(forwarded);
          const pending = SINKS.filter((sink) => !done.has(sink.id)).map((sink) => sink.id);
          return { delivered: pending, failures: [] };
        },
      },
      delivery: { pollMs: 20 },
    });
    open = gateway;
    const res = await gateway.app.request('/v1/events', {
      method: 'POST',
      headers: { Authorization: 'Bearer demo-marco-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...event, agent: { id: 'someone-else', name: 'Mallory' } }),
    });
    expect(res.status).toBe(202);
    await expect.poll(() => handed.length, { timeout: 5000 }).toBe(2);
    for (const forwarded of handed) {
      expect((forwarded as AfterCallEvent & { agent: unknown }).agent).toEqual({
        id: 'agent:marco.rossi@laboutique.example',
        name: 'Marco Rossi',
        email: 'marco.rossi@laboutique.example',
      });
    }
  });

  it('puts an event a sink refuses for good (400) on the dead-letter list, and replays it', async () => {
    let adobeAnswer = 400;
    const { calls, post, gateway } = setup((url) => (url.includes('dcs') ? adobeAnswer : 200));
    await post();
    const queue = gateway.store.queue(DELIVERY_QUEUE);
    await expect.poll(async () => (await queue.counts()).dead, { timeout: 5000 }).toBe(1);
    const [dead] = await queue.dead();
    expect(dead?.reason).toContain('answered 400');
    expect(calls.filter((c) => c.url.includes('dcs'))).toHaveLength(1);

    adobeAnswer = 200;
    expect(await queue.replay()).toBe(1);
    await expect.poll(async () => (await queue.counts()).queued, { timeout: 5000 }).toBe(0);
    expect(calls.filter((c) => c.url.includes('dcs'))).toHaveLength(2);
    expect(calls.filter((c) => c.url.includes('segment'))).toHaveLength(1);
  });

  it('refuses with 400 an event the sinks could not map, and queues nothing', async () => {
    const { post, calls, gateway } = setup(() => 200);
    const res = await post({ id: event.id, note: 'not an after-call event' });
    expect(res.status).toBe(400);
    expect(await gateway.store.queue(DELIVERY_QUEUE).counts()).toEqual({ queued: 0, dead: 0 });
    expect(calls).toHaveLength(0);
  });
});

describe('sinks that sign in their own way', () => {
  const salesforce = {
    id: 'sf',
    type: 'salesforce',
    baseUrl: 'https://acme.my.salesforce.com',
    clientId: 'connected-app',
    clientSecretEnv: 'SF_SECRET',
    externalIdField: 'Caller_Context_Event__c',
  };

  function recording(answers: Record<string, number[]>) {
    const calls: { method: string; url: string; authorization?: string; body: string }[] = [];
    const fetch: FetchLike = async (url, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({
        method: init?.method ?? 'GET',
        url,
        ...(headers.authorization ? { authorization: headers.authorization } : {}),
        body: String(init?.body ?? ''),
      });
      if (url.endsWith('/services/oauth2/token')) {
        const n = calls.filter((c) => c.url === url).length;
        return Response.json({
          access_token: `token-${n}`,
          instance_url: 'https://acme.my.salesforce.com',
          token_type: 'Bearer',
        });
      }
      const status = answers[url]?.shift() ?? 201;
      return new Response(status === 201 ? '{"id":"00T1","success":true}' : '[]', { status });
    };
    return { calls, fetch };
  }

  it("takes Salesforce's token from Salesforce and upserts the Task with PATCH", async () => {
    const { calls, fetch } = recording({});
    const forwarder = createSinkForwarder([salesforce], { fetch, env: { SF_SECRET: 's3cret' } });
    expect(await forwarder.forward(event, new Set())).toEqual({ delivered: ['sf'], failures: [] });
    const [token, upsert] = calls;
    expect(token?.url).toBe('https://acme.my.salesforce.com/services/oauth2/token');
    expect(token?.body).toContain('grant_type=client_credentials');
    expect(calls.some((c) => c.url.includes('adobelogin'))).toBe(false);
    expect(upsert).toMatchObject({
      method: 'PATCH',
      url: `https://acme.my.salesforce.com/services/data/v62.0/sobjects/Task/Caller_Context_Event__c/${event.id}`,
      authorization: 'Bearer token-1',
    });
  });

  it('fetches a new token after the platform refused the old one', async () => {
    const upsertUrl = `https://acme.my.salesforce.com/services/data/v62.0/sobjects/Task/Caller_Context_Event__c/${event.id}`;
    const { calls, fetch } = recording({ [upsertUrl]: [401, 201] });
    const forwarder = createSinkForwarder([salesforce], { fetch, env: { SF_SECRET: 's3cret' } });
    const first = await forwarder.forward(event, new Set());
    expect(first.failures).toEqual([expect.objectContaining({ sink: 'sf', status: 401 })]);
    expect(await forwarder.forward(event, new Set())).toEqual({ delivered: ['sf'], failures: [] });
    const upserts = calls.filter((c) => c.method === 'PATCH');
    expect(upserts.map((c) => c.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it("reports a missing secret as the sink's failure, without sending anything", async () => {
    const { calls, fetch } = recording({});
    const forwarder = createSinkForwarder([salesforce], { fetch, env: {} });
    const result = await forwarder.forward(event, new Set());
    expect(result.delivered).toEqual([]);
    expect(result.failures[0]?.message).toMatch(/SF_SECRET/);
    expect(calls).toEqual([]);
  });
});
