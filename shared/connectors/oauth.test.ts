import { describe, expect, it } from 'vitest';
import { fixture, replayFetch } from '../../test-support/replay';
import { ConnectorError } from './http';
import { clientCredentials, connectorTokens, requestJsonWithToken } from './oauth';

const signal = new AbortController().signal;
const TOKEN_URL = 'https://login.microsoftonline.com/tenant/oauth2/v2.0/token';
const DATA_URL = 'https://contoso.crm.dynamics.com/api/data/v9.2/contacts';

/** Entra ID's documented token answer (expires_in 3599), then what `data` says to each read. */
function entra(data: (count: number) => { status: number; response?: unknown }) {
  let reads = 0;
  return replayFetch((request) =>
    request.url.href === TOKEN_URL ? fixture('entra-client-credentials-token') : data(++reads),
  );
}

function signIn(fetch: ReturnType<typeof entra>['fetch'], now: () => Date) {
  return clientCredentials({
    platform: 'Dynamics 365',
    tokenUrl: TOKEN_URL,
    clientId: 'client',
    clientSecret: 'secret',
    fetch,
    now,
  });
}

describe('client credentials', () => {
  it('asks once for concurrent callers and reuses the token until shortly before it expires', async () => {
    let now = new Date('2026-01-01T10:00:00Z');
    const { fetch, requests } = entra(() => ({ status: 200 }));
    const tokens = signIn(fetch, () => now);
    const [a, b] = await Promise.all([tokens.get(signal), tokens.get(signal)]);
    expect(a).toBe(b);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.body).toContain('grant_type=client_credentials');
    now = new Date(now.getTime() + 3_000_000);
    await tokens.get(signal);
    expect(requests).toHaveLength(1);
    // Renewed a minute before its 3599 s are up, so no request carries a dying token.
    now = new Date(now.getTime() + 545_000);
    await tokens.get(signal);
    expect(requests).toHaveLength(2);
  });
});

describe('requestJsonWithToken', () => {
  it('sends the token as a bearer and, after a 401, signs in again for the next request', async () => {
    const { fetch, requests } = entra((count) =>
      count === 1 ? { status: 401, response: { error: { message: 'expired' } } } : { status: 200 },
    );
    const tokens = signIn(fetch, () => new Date('2026-01-01T10:00:00Z'));
    const request = { platform: 'Dynamics 365', url: DATA_URL, signal };
    await expect(requestJsonWithToken(fetch, tokens, request)).rejects.toMatchObject({
      status: 401,
    });
    await requestJsonWithToken(fetch, tokens, request);
    const tokenRequests = requests.filter((r) => r.url.href === TOKEN_URL);
    expect(tokenRequests).toHaveLength(2);
    const reads = requests.filter((r) => r.url.href === DATA_URL);
    expect(reads[1]?.headers.get('authorization')).toMatch(/^Bearer eyJ/);
  });

  it('lets the platform explain its own refusals, not the sign-in’s', async () => {
    const explain = (refusal: ConnectorError) =>
      refusal.status === 422 ? new ConnectorError('explained', 422) : refusal;
    const refusing = replayFetch(() => ({ status: 422, response: {} }));
    const tokens = signIn(refusing.fetch, () => new Date());
    const request = { platform: 'Dynamics 365', url: DATA_URL, signal };
    await expect(requestJsonWithToken(refusing.fetch, tokens, request, explain)).rejects.toThrow(
      'Dynamics 365 sign-in answered 422',
    );
    const read = entra(() => ({ status: 422, response: {} }));
    await expect(
      requestJsonWithToken(
        read.fetch,
        signIn(read.fetch, () => new Date()),
        request,
        explain,
      ),
    ).rejects.toThrow('explained');
  });
});

describe('connectorTokens', () => {
  it('uses the delegated token when given one, and never signs in itself', async () => {
    let signIns = 0;
    const tokens = connectorTokens({ accessToken: async () => 'agent-token' }, () => {
      signIns += 1;
      throw new Error('no own sign-in');
    });
    expect(await tokens.get(signal)).toBe('agent-token');
    tokens.invalidate();
    expect(signIns).toBe(0);
  });
});
