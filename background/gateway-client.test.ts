import { describe, expect, it } from 'vitest';
import type { CallerContext } from '../shared/model';
import {
  CONTEXT_TIMEOUT_MS,
  type FetchLike,
  fetchCallerContext,
  GatewayError,
} from './gateway-client';

const identity = { namespace: 'phone', value: '+442079460123' };
const config = { gatewayUrl: 'https://gw.example.com', gatewayToken: 'agent-token' };

const context: CallerContext = {
  identity,
  fetchedAt: '2025-03-01T10:00:01.000Z',
  errors: [],
  matches: [
    {
      profile: { id: 'p-1', source: 'demo', displayName: 'Jane Doe', attributes: { tier: 'gold' } },
      activity: [{ id: 'e-1', at: '2025-03-01T09:58:00.000Z', type: 'page_view', source: 'demo' }],
      cases: [{ id: 'c-1', title: 'Late delivery' }],
    },
  ],
};

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(respond: () => Response | Promise<Response>): {
  fetch: FetchLike;
  calls: Call[];
} {
  const calls: Call[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return respond();
    },
  };
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => new Error('the lookup did not fail'),
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError)) throw error;
  return error;
}

describe('fetchCallerContext', () => {
  it('asks the gateway for the identity with the agent token', async () => {
    const { fetch, calls } = fakeFetch(() => json(context));
    await expect(fetchCallerContext(config, identity, fetch)).resolves.toEqual(context);
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call?.url).toBe('https://gw.example.com/v1/context?identity=phone%3A%2B442079460123');
    const headers = new Headers(call?.init?.headers);
    expect(headers.get('authorization')).toBe('Bearer agent-token');
    expect(headers.get('accept')).toBe('application/json');
    expect(call?.init?.signal).toBeInstanceOf(AbortSignal);
  });

  it('sends no Authorization header without a token', async () => {
    const { fetch, calls } = fakeFetch(() => json(context));
    await fetchCallerContext({ gatewayUrl: 'http://127.0.0.1:8787' }, identity, fetch);
    expect(calls[0]?.url).toBe('http://127.0.0.1:8787/v1/context?identity=phone%3A%2B442079460123');
    expect(new Headers(calls[0]?.init?.headers).has('authorization')).toBe(false);
  });

  it('encodes identities that carry URL characters', async () => {
    const { fetch, calls } = fakeFetch(() =>
      json({ ...context, identity: { namespace: 'email', value: 'a+b&c=d@example.com' } }),
    );
    await fetchCallerContext(config, { namespace: 'email', value: 'a+b&c=d@example.com' }, fetch);
    const url = new URL(calls[0]?.url ?? '');
    expect(url.searchParams.get('identity')).toBe('email:a+b&c=d@example.com');
    expect([...url.searchParams.keys()]).toEqual(['identity']);
  });

  it('accepts an unknown caller (no matches)', async () => {
    const unknown = { ...context, matches: [] };
    const { fetch } = fakeFetch(() => json(unknown));
    await expect(fetchCallerContext(config, identity, fetch)).resolves.toEqual(unknown);
  });

  it.each<[string, unknown]>([
    ['not an object', 'hello'],
    ['null', null],
    ['no matches', { ...context, matches: undefined }],
    ['no errors', { ...context, errors: undefined }],
    ['no fetchedAt', { ...context, fetchedAt: 12 }],
    ['no identity', { ...context, identity: undefined }],
    [
      'a match without a profile id',
      { ...context, matches: [{ profile: {}, activity: [], cases: [] }] },
    ],
    [
      'a match without activity',
      { ...context, matches: [{ profile: { id: 'p', source: 's', attributes: {} }, cases: [] }] },
    ],
    ['a match that is null', { ...context, matches: [null] }],
  ])('refuses a body with %s', async (_, body) => {
    const { fetch } = fakeFetch(() => json(body));
    const error = await failure(fetchCallerContext(config, identity, fetch));
    expect(error.message).toBe('The gateway sent an unexpected response.');
    expect(error.problem).toEqual({ code: 'gatewayUnexpected' });
  });

  it('explains a refused token', async () => {
    for (const status of [401, 403]) {
      const { fetch } = fakeFetch(() => json({ error: { message: 'bad token' } }, status));
      const error = await failure(fetchCallerContext(config, identity, fetch));
      expect(error.message).toMatch(/refused our sign-in/);
      expect(error.problem).toEqual({ code: 'gatewayRefused' });
    }
  });

  it('passes on the gateway error message with the status', async () => {
    const { fetch } = fakeFetch(() => json({ error: { message: 'Adobe is down' } }, 502));
    const error = await failure(fetchCallerContext(config, identity, fetch));
    expect(error.message).toBe('The gateway answered 502: Adobe is down.');
    // The sidebar words it in the agent's language from the code; the gateway's text is data.
    expect(error.problem).toEqual({
      code: 'gatewayStatusDetail',
      params: { status: '502', detail: 'Adobe is down' },
    });
  });

  it('gives the status alone when the error body says nothing useful', async () => {
    const { fetch } = fakeFetch(() => new Response('<h1>Bad gateway</h1>', { status: 500 }));
    const error = await failure(fetchCallerContext(config, identity, fetch));
    expect(error.message).toBe('The gateway answered 500.');
    expect(error.problem).toEqual({ code: 'gatewayStatus', params: { status: '500' } });
  });

  it('shortens a very long error message', async () => {
    const { fetch } = fakeFetch(() => json({ error: { message: 'x'.repeat(5000) } }, 500));
    const error = await failure(fetchCallerContext(config, identity, fetch));
    expect(error.message.length).toBeLessThan(300);
  });

  it('explains a body that is not JSON', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>portal login</html>', { status: 200 }));
    const error = await failure(fetchCallerContext(config, identity, fetch));
    expect(error.message).toBe('The gateway sent a response that is not JSON.');
    expect(error.problem).toEqual({ code: 'gatewayNotJson' });
  });

  it('explains a gateway it cannot reach', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    const error = await failure(fetchCallerContext(config, identity, fetch));
    expect(error.message).toBe('Cannot reach the gateway at https://gw.example.com.');
    expect(error.problem).toEqual({
      code: 'gatewayUnreachable',
      params: { url: 'https://gw.example.com' },
    });
  });

  it('explains a timeout', async () => {
    const fetch: FetchLike = async () => {
      throw new DOMException('The operation timed out.', 'TimeoutError');
    };
    const error = await failure(fetchCallerContext(config, identity, fetch));
    expect(error.message).toBe(`The gateway did not answer within ${CONTEXT_TIMEOUT_MS / 1000} s.`);
    expect(error.problem).toEqual({
      code: 'gatewayTimeout',
      params: { seconds: CONTEXT_TIMEOUT_MS / 1000 },
    });
  });
});

describe('fetchCallerContext when the gateway rate limits', () => {
  it("reports 429 with the gateway's Retry-After", async () => {
    const failure = await fetchCallerContext(
      config,
      identity,
      async () => new Response('{}', { status: 429, headers: { 'retry-after': '3' } }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayError);
    expect((failure as GatewayError).rateLimited).toBe(true);
    expect((failure as GatewayError).retryAfterMs).toBe(3000);
    expect((failure as GatewayError).problem).toEqual({ code: 'gatewayBusy' });
  });
});
