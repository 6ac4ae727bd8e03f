import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG_FILE } from './cli-args';
import { DEFAULT_SEED_FILE as DEMO_SEED_FILE } from './sources/demo';
import { startPrivateRedis } from './test-support/redis-server';
import { startRecordingSink, writeConfig } from './test-support/replica-harness';

/** An API Gateway HTTP API (payload 2.0) request, as AWS documents it. */
function httpApiEvent(path: string, query: string, headers: Record<string, string>) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'abc123.execute-api.eu-west-2.amazonaws.com', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '22/Nov/2026:10:00:00 +0000',
      timeEpoch: 1795341600000,
    },
    isBase64Encoded: false,
  };
}

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'caller-context-gateway',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-2:123456789012:function:caller-context-gateway',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/caller-context-gateway',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 10_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

describe('the gateway as a Lambda function', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('answers a caller lookup from an API Gateway event, with the config the environment names', async () => {
    vi.stubEnv('CALLER_CONTEXT_CONFIG', DEMO_CONFIG_FILE);
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { handler } = await import('./lambda');
    const event = httpApiEvent('/v1/context', 'identity=phone%3A%2B442079460123', {
      authorization: 'Bearer demo-token',
    });
    // biome-ignore lint/suspicious/noExplicitAny: the adapter's event union is wider than this test needs.
    const response = (await handler(event as any, context)) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body) as { matches: { profile: { displayName: string } }[] };
    expect(body.matches.map((m) => m.profile.displayName)).toEqual(['Jane Doe']);
  });

  it('refuses a request without a token', async () => {
    vi.stubEnv('CALLER_CONTEXT_CONFIG', DEMO_CONFIG_FILE);
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { handler } = await import('./lambda');
    const event = httpApiEvent('/v1/context', 'identity=phone%3A%2B442079460123', {});
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const response = (await handler(event as any, context)) as { statusCode: number };
    expect(response.statusCode).toBe(401);
  });

  it('fails a request clearly when the config cannot be read, and reads it again next time', async () => {
    vi.stubEnv('CALLER_CONTEXT_CONFIG', '/nonexistent/gateway.config.json');
    const { handler } = await import('./lambda');
    const event = httpApiEvent('/healthz', '', {});
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    await expect(handler(event as any, context)).rejects.toThrow(/cannot read the file/);
    vi.stubEnv('CALLER_CONTEXT_CONFIG', DEMO_CONFIG_FILE);
    vi.spyOn(console, 'log').mockImplementation(() => {});
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    const response = (await handler(event as any, context)) as { statusCode: number };
    expect(response.statusCode).toBe(200);
  });

  it('takes an after-call event into Redis, and its scheduled deliver sends it to the sink once', async () => {
    const redis = await startPrivateRedis();
    const sink = await startRecordingSink();
    const config = await writeConfig({
      auth: { tokens: ['lambda-agent-token'] },
      sources: [{ id: 'demo', type: 'demo', seedFile: DEMO_SEED_FILE }],
      sinks: [{ id: 'segment', type: 'segment', baseUrl: sink.url, writeKeyEnv: 'WRITE_KEY' }],
      store: { type: 'redis', url: redis.url },
    });
    try {
      vi.stubEnv('CALLER_CONTEXT_CONFIG', config.file);
      vi.stubEnv('WRITE_KEY', 'segment-write-key');
      vi.spyOn(console, 'log').mockImplementation(() => {});
      const { handler, deliver } = await import('./lambda');
      const id = randomUUID();
      const event = {
        ...httpApiEvent('/v1/events', '', {
          authorization: 'Bearer lambda-agent-token',
          'content-type': 'application/json',
        }),
        body: JSON.stringify({
          id,
          type: 'call.logged',
          callId: 'call-1',
          identity: { namespace: 'phone', value: '+442079460123' },
          rawNumber: '+44 20 7946 0123',
          profile: { id: 'cust-1001', source: 'demo', name: 'Jane Doe' },
          disposition: { code: 'resolved', label: 'Resolved' },
          notes: 'ok',
          ringingAt: '2026-11-21T10:00:00.000Z',
          endedAt: '2026-11-21T10:04:05.000Z',
          talkSeconds: 200,
          loggedAt: '2026-11-21T10:05:00.000Z',
        }),
      };
      event.requestContext.http.method = 'POST';
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      const response = (await handler(event as any, context)) as { statusCode: number };
      expect(response.statusCode).toBe(202);
      // Nothing runs between invocations: the event waits in Redis for the scheduled run.
      expect(sink.requests).toHaveLength(0);
      expect(await deliver()).toEqual({ delivered: 1 });
      expect(sink.acknowledged()).toEqual([id]);
      expect(await deliver()).toEqual({ delivered: 0 });
    } finally {
      await sink.close();
      await redis.stop();
      await config.remove();
    }
  }, 30_000);
});
