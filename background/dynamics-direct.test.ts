import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { fixture, type RecordedRequest, type Reply, replayFetch } from '../test-support/replay';
import { dynamicsDirectFetcher, entraClient, SignInRequired } from './dynamics-direct';
import { createSignIn, type IdentityApi, TOKENS_KEY } from './sign-in';

const config = {
  orgUrl: 'https://contoso.crm4.dynamics.com',
  tenantId: 'contoso.onmicrosoft.com',
  clientId: 'app-1',
};
const EXTENSION = 'https://ejofaebpacpnnbhlaeinehnbbkflmjln.chromiumapp.org';
/** The endpoints Entra ID's discovery document names (by tenant id, not by domain). */
const TENANT_ENDPOINTS = 'https://login.microsoftonline.com/aaaabbbb-0000-cccc-1111-dddd2222eeee';
const JANE = { namespace: 'phone', value: '+442079460123' };
const signal = new AbortController().signal;

afterEach(() => fakeBrowser.reset());

/**
 * Entra ID's sign-in page as the auth flow sees it: a code for an agent with a session,
 * a refusal, or (without a window) no session to answer from.
 */
function fakeIdentity(answer: 'code' | 'refuse' | 'no-session') {
  const launched: { url: URL; interactive: boolean }[] = [];
  const identity: IdentityApi = {
    getRedirectURL: (path) => `${EXTENSION}/${path ?? ''}`,
    async launchWebAuthFlow({ url, interactive }) {
      const parsed = new URL(url);
      launched.push({ url: parsed, interactive });
      const state = parsed.searchParams.get('state') ?? '';
      const redirect = parsed.searchParams.get('redirect_uri');
      if (answer === 'no-session') throw new Error('User interaction required.');
      if (answer === 'refuse')
        return `${redirect}?error=consent_required&error_description=AADSTS65001+consent+required&state=${state}`;
      return `${redirect}?code=auth-code-1&state=${state}`;
    },
  };
  return { identity, launched };
}

/** Entra ID and Dynamics 365 from their documented examples; each token grant a fresh pair. */
function platform(tokenReply?: (form: URLSearchParams) => Reply) {
  let issued = 0;
  const token = (form: URLSearchParams): Reply => {
    if (tokenReply) return tokenReply(form);
    issued += 1;
    const { response, ...rest } = fixture('entra-token');
    return {
      ...rest,
      response: {
        ...(response as object),
        access_token: `at-${issued}`,
        refresh_token: `rt-${issued}`,
      },
    };
  };
  return replayFetch((request: RecordedRequest) => {
    if (
      request.url.href ===
      `https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration`
    )
      return fixture('entra-openid-configuration');
    if (request.url.href === `${TENANT_ENDPOINTS}/oauth2/v2.0/token`)
      return token(new URLSearchParams(request.body));
    if (request.url.host === 'contoso.crm4.dynamics.com')
      return request.url.pathname.endsWith('/contacts')
        ? fixture('dynamics-contacts')
        : fixture('dynamics-incidents');
    return { status: 404, response: { error: 'not_found' } };
  });
}

function setup(
  answer: 'code' | 'refuse' | 'no-session' = 'code',
  options: { now?: () => number; tokenReply?: (form: URLSearchParams) => Reply } = {},
) {
  const { identity, launched } = fakeIdentity(answer);
  const { fetch, requests } = platform(options.tokenReply);
  const signIn = createSignIn({
    identity,
    session: fakeBrowser.storage.session,
    fetch,
    ...(options.now ? { now: options.now } : {}),
  });
  const tokenForms = () =>
    requests
      .filter((r) => r.url.pathname.endsWith('/oauth2/v2.0/token'))
      .map((r) => new URLSearchParams(r.body));
  return { signIn, launched, fetch, requests, tokenForms };
}

describe('Dynamics 365 sign-in through Entra ID (the generic OpenID Connect sign-in)', () => {
  it("signs in at the endpoints Entra ID's discovery names, with an S256 challenge its verifier matches", async () => {
    const { signIn, launched, tokenForms } = setup();
    expect(await signIn.signIn(entraClient(config))).toMatchObject({ signedIn: true });
    const authorize = launched[0]?.url;
    expect(launched[0]?.interactive).toBe(true);
    expect(`${authorize?.origin}${authorize?.pathname}`).toBe(
      `${TENANT_ENDPOINTS}/oauth2/v2.0/authorize`,
    );
    expect(authorize?.searchParams.get('redirect_uri')).toBe(`${EXTENSION}/entra`);
    expect(authorize?.searchParams.get('client_id')).toBe('app-1');
    expect(authorize?.searchParams.get('scope')).toBe(
      'https://contoso.crm4.dynamics.com/user_impersonation offline_access',
    );
    expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize?.searchParams.has('prompt')).toBe(false);
    const form = tokenForms()[0];
    expect(form?.get('grant_type')).toBe('authorization_code');
    expect(form?.get('code')).toBe('auth-code-1');
    expect(form?.get('redirect_uri')).toBe(`${EXTENSION}/entra`);
    expect(form?.get('scope')).toBe(
      'https://contoso.crm4.dynamics.com/user_impersonation offline_access',
    );
    const digest = new Uint8Array(
      await crypto.subtle.digest(
        'SHA-256',
        new TextEncoder().encode(form?.get('code_verifier') ?? ''),
      ),
    );
    expect(authorize?.searchParams.get('code_challenge')).toBe(
      Buffer.from(digest).toString('base64url'),
    );
  });

  it('keeps tokens in session storage only, reuses them, and refreshes with the rotated refresh token', async () => {
    let clock = Date.parse('2026-11-21T12:00:00Z');
    const { signIn, launched, tokenForms } = setup('code', { now: () => clock });
    const client = entraClient(config);
    await signIn.signIn(client);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(Object.keys(await fakeBrowser.storage.session.get(null))).toEqual([
      'entraToken:app-1:https://contoso.crm4.dynamics.com',
    ]);
    expect(await signIn.accessToken(client, { silent: true, signal })).toBe('at-1');
    expect(tokenForms()).toHaveLength(1);

    clock += 3600_000;
    expect(await signIn.accessToken(client, { silent: true, signal })).toBe('at-2');
    clock += 3600_000;
    expect(await signIn.accessToken(client, { silent: true, signal })).toBe('at-3');
    expect(tokenForms().map((f) => [f.get('grant_type'), f.get('refresh_token')])).toEqual([
      ['authorization_code', null],
      ['refresh_token', 'rt-1'],
      ['refresh_token', 'rt-2'],
    ]);
    expect(launched).toHaveLength(1);
    await signIn.signOut(client);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it('never opens a window for a lookup: without a session it asks the agent to sign in', async () => {
    const { signIn, launched, fetch, requests } = setup('no-session');
    const lookup = dynamicsDirectFetcher(config, signIn, fetch).fetch(JANE, signal);
    await expect(lookup).rejects.toBeInstanceOf(SignInRequired);
    await expect(lookup).rejects.toThrow('Sign in to Dynamics 365 to see its contacts and cases.');
    expect(launched.map((l) => [l.interactive, l.url.searchParams.get('prompt')])).toEqual([
      [false, 'none'],
    ]);
    expect(requests.some((r) => r.url.host === 'contoso.crm4.dynamics.com')).toBe(false);
  });

  it("takes a token from Entra ID's own session without a window, and looks the caller up with it", async () => {
    const { signIn, launched, fetch, requests } = setup('code');
    const context = await dynamicsDirectFetcher(config, signIn, fetch).fetch(JANE, signal);
    expect(launched.map((l) => l.interactive)).toEqual([false]);
    expect(context.matches[0]?.cases[0]?.title).toBe('Cracked drip tray');
    const dynamics = requests.filter((r) => r.url.host === 'contoso.crm4.dynamics.com');
    expect(dynamics.map((r) => r.headers.get('authorization'))).toContain('Bearer at-1');
  });

  it('signs in again silently when Entra ID refuses the refresh token', async () => {
    let clock = Date.parse('2026-11-21T12:00:00Z');
    let grants = 0;
    const { signIn, launched } = setup('code', {
      now: () => clock,
      tokenReply: (form) => {
        if (form.get('grant_type') === 'refresh_token')
          return {
            status: 400,
            response: {
              error: 'invalid_grant',
              error_description: 'AADSTS70008: The refresh token has expired due to inactivity.',
            },
          };
        grants += 1;
        return {
          status: 200,
          response: { access_token: `at-${grants}`, expires_in: 3599, refresh_token: 'rt' },
        };
      },
    });
    const client = entraClient(config);
    await signIn.signIn(client);
    clock += 3600_000;
    expect(await signIn.accessToken(client, { silent: true, signal })).toBe('at-2');
    expect(launched.map((l) => l.interactive)).toEqual([true, false]);
  });

  it("reports Entra ID's refusal in its own words", async () => {
    const { signIn } = setup('refuse');
    await expect(signIn.signIn(entraClient(config))).rejects.toThrow(
      'Entra ID refused: AADSTS65001 consent required.',
    );
  });

  it("keeps the gateway's sign-in and the Dynamics 365 sign-in apart", async () => {
    const { signIn } = setup();
    await fakeBrowser.storage.session.set({ [TOKENS_KEY]: { issuer: 'https://idp.example.com' } });
    const client = entraClient(config);
    await signIn.signIn(client);
    expect(await signIn.accessToken({ ...client, clientId: 'another-app' })).toBeNull();
    await signIn.signOut(client);
    expect(Object.keys(await fakeBrowser.storage.session.get(null))).toEqual([TOKENS_KEY]);
  });
});
