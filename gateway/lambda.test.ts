import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CONFIG_FILE } from './cli-args';

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
});
