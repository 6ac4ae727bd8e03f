import { describe, expect, it } from 'vitest';
import type { OidcSettings } from '../shared/config';
import { createSignIn, type SessionStorageApi, SignInError, TOKENS_KEY } from './sign-in';

const OIDC: OidcSettings = { issuer: 'https://login.example.com', clientId: 'caller-context' };
const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

function memorySession(): SessionStorageApi & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return {
    data,
    get: async (keys) => Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, data[k]])),
    set: async (items) => void Object.assign(data, items),
    remove: async (keys) => {
      for (const k of keys) delete data[k];
    },
  };
}

interface Setup {
  /** What the provider's authorization page redirects back with; gets the request URL. */
  authorize?: (url: URL) => string;
  token?: (form: URLSearchParams) => Response;
  now?: () => number;
}

function setup(options: Setup = {}) {
  const session = memorySession();
  const tokenRequests: URLSearchParams[] = [];
  let authorizeUrl: URL | undefined;
  const fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    if (input.endsWith('/.well-known/openid-configuration'))
      return Response.json({
        authorization_endpoint: 'https://login.example.com/authorize',
        token_endpoint: 'https://login.example.com/token',
      });
    const form = new URLSearchParams(String(init?.body));
    tokenRequests.push(form);
    return (
      options.token?.(form) ??
      Response.json({
        access_token: `at-${tokenRequests.length}`,
        refresh_token: 'rt',
        expires_in: 3600,
      })
    );
  };
  const signIn = createSignIn({
    session,
    fetch,
    now: options.now ?? (() => 1_000_000),
    identity: {
      getRedirectURL: () => REDIRECT,
      launchWebAuthFlow: async ({ url }) => {
        authorizeUrl = new URL(url);
        const state = authorizeUrl.searchParams.get('state');
        return options.authorize?.(authorizeUrl) ?? `${REDIRECT}?code=the-code&state=${state}`;
      },
    },
  });
  return { signIn, session, tokenRequests, authorizeUrl: () => authorizeUrl };
}

describe('OIDC sign-in', () => {
  it('asks for a code with an S256 challenge and redeems it with the matching verifier', async () => {
    const { signIn, tokenRequests, authorizeUrl } = setup();
    expect(await signIn.signIn(OIDC)).toMatchObject({ signedIn: true });
    const asked = authorizeUrl()?.searchParams;
    expect(asked?.get('code_challenge_method')).toBe('S256');
    expect(asked?.get('redirect_uri')).toBe(REDIRECT);
    const verifier = tokenRequests[0]?.get('code_verifier') ?? '';
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
    );
    const expected = Buffer.from(digest).toString('base64url');
    expect(asked?.get('code_challenge')).toBe(expected);
    expect(tokenRequests[0]?.get('code')).toBe('the-code');
    expect(await signIn.accessToken(OIDC)).toBe('at-1');
  });

  it('refuses an answer whose state does not match the request', async () => {
    const { signIn, session } = setup({ authorize: () => `${REDIRECT}?code=x&state=forged` });
    await expect(signIn.signIn(OIDC)).rejects.toThrow(SignInError);
    expect(session.data[TOKENS_KEY]).toBeUndefined();
  });

  it("passes the provider's refusal on in words", async () => {
    const { signIn } = setup({
      authorize: (url) =>
        `${REDIRECT}?error=access_denied&error_description=The+user+declined&state=${url.searchParams.get('state')}`,
    });
    await expect(signIn.signIn(OIDC)).rejects.toThrow(
      'The sign-in provider refused: The user declined.',
    );
  });

  it('refreshes a token inside the margin once, however many lookups ask at the same time', async () => {
    let clock = 1_000_000;
    const { signIn, tokenRequests } = setup({ now: () => clock });
    await signIn.signIn(OIDC);
    clock += 3600_000 - 30_000;
    const tokens = await Promise.all([
      signIn.accessToken(OIDC),
      signIn.accessToken(OIDC),
      signIn.accessToken(OIDC),
    ]);
    expect(tokens).toEqual(['at-2', 'at-2', 'at-2']);
    expect(tokenRequests.map((f) => f.get('grant_type'))).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
  });

  it('signs the agent out when the provider refuses the refresh', async () => {
    let clock = 1_000_000;
    const { signIn, session } = setup({
      now: () => clock,
      token: (form) =>
        form.get('grant_type') === 'refresh_token'
          ? Response.json({ error: 'invalid_grant' }, { status: 400 })
          : Response.json({ access_token: 'at-1', refresh_token: 'rt', expires_in: 3600 }),
    });
    await signIn.signIn(OIDC);
    clock += 3600_000;
    expect(await signIn.accessToken(OIDC)).toBeNull();
    expect(session.data[TOKENS_KEY]).toBeUndefined();
    expect(await signIn.status(OIDC)).toEqual({ signedIn: false });
  });

  it("does not use another provider's tokens after the policy changed", async () => {
    const { signIn } = setup();
    await signIn.signIn(OIDC);
    expect(await signIn.accessToken({ ...OIDC, issuer: 'https://other.example.com' })).toBeNull();
  });
});
