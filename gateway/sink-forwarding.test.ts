import { describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../shared/after-call';
import { createGateway } from './app';
import { silentLogger } from './request-log';
import { createSinkForwarder, type FetchLike } from './sink-forwarder';
import { AGENT, demoConfig } from './test-fixtures';

const event: AfterCallEvent = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  type: 'call.logged',
  callId: 'call-1',
  identity: { namespace: 'phone', value: '+442079460123' },
  rawNumber: '+44 20 7946 0123',
  profile: { id: 'cust-1', source: 'demo', name: 'Jane Doe' },
  disposition: { code: 'resolved', label: 'Resolved' },
  notes: 'ok',
  ringingAt: '2025-03-01T10:00:00.000Z',
  endedAt: '2025-03-01T10:04:05.000Z',
  talkSeconds: 0,
  loggedAt: '2025-03-01T10:05:00.000Z',
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
  });
  const post = () =>
    gateway.app.request('/v1/events', {
      method: 'POST',
      headers: { ...AGENT, 'Content-Type': 'application/json' },
      body: JSON.stringify(event),
    });
  return { calls, post };
}

describe('POST /v1/events with sinks', () => {
  it('forwards each event once per sink, and answers 202 only when all took it', async () => {
    let segmentUp = false;
    const { calls, post } = setup((url) => (url.includes('segment') && !segmentUp ? 503 : 200));
    const first = await post();
    expect(first.status).toBe(502);
    expect(await first.json()).toMatchObject({ error: { code: 'sink_failed' } });
    expect(calls.map((c) => c.url)).toEqual([
      'https://dcs.example.test/collection/inlet',
      'https://segment.example.test/v1/track',
    ]);
    expect(calls[0]?.headers['x-adobe-flow-id']).toBe('flow-1');

    segmentUp = true;
    const retry = await post();
    expect(retry.status).toBe(202);
    // Adobe already had it: only Segment is asked again.
    expect(calls.slice(2).map((c) => c.url)).toEqual(['https://segment.example.test/v1/track']);

    const repeat = await post();
    expect(repeat.status).toBe(202);
    expect(await repeat.json()).toEqual({ id: event.id, duplicate: true });
    expect(calls).toHaveLength(3);
  });

  it('forwards a copy in flight and its repeat once, not twice', async () => {
    const { calls, post } = setup(() => 200);
    const answers = await Promise.all([post(), post(), post()]);
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(calls).toHaveLength(2);
  });

  it('refuses with 400 an event the sinks could not map', async () => {
    const { post: _, calls } = setup(() => 200);
    const config = demoConfig({ sinks: SINKS });
    const gateway = createGateway(config, { logger: silentLogger });
    const res = await gateway.app.request('/v1/events', {
      method: 'POST',
      headers: { ...AGENT, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: event.id, note: 'not an after-call event' }),
    });
    expect(res.status).toBe(400);
    expect(calls).toHaveLength(0);
  });
});
