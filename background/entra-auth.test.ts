import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { fixture, replayFetch } from '../shared/connectors/replay';
import { dynamicsDirectFetcher } from './dynamics-direct';
import { createEntraAuth, type IdentityApi, SignInRequired } from './entra-auth';

const config = {
  orgUrl: 'https://contoso.crm4.dynamics.com',
  tenantId: 'contoso.onmicrosoft.com',
  clientId: 'app-1',
};
const REDIRECT = 'https://ejofaebpacpnnbhlaeinehnbbkflmjln.chromiumapp.org/entra';

/** Entra ID as the auth flow sees it: answers the authorize URL with a code, or refuses. */
function fakeIdentity(answer: 'code' | 'refuse' | 'no-session') {
  const launched: { url: URL; interactive: boolean }[] = [];
  const identity: IdentityApi = {
    getRedirectURL: (path) =>
      `https://ejofaebpacpnnbhlaeinehnbbkflmjln.chromiumapp.org/${path ?? ''}`,
    async launchWebAuthFlow({ url, interactive }) {
      const parsed = new URL(url);
      launched.push({ url: parsed, interactive });
      const state = parsed.searchParams.get('state') ?? '';
      if (answer === 'no-session') throw new Error('User interaction required.');
      if (answer === 'refuse')
        return `${REDIRECT}?error=access_denied&error_description=AADSTS65001+consent+required&state=${state}`;
      return `${REDIRECT}?code=auth-code-1&state=${state}`;
    },
  };
  return { identity, launched };
}

function entra(
  tokenBody: unknown = { access_token: 'at-1', refresh_token: 'rt-1', expires_in: 3600 },
) {
  return replayFetch((request) =>
    request.url.host === 'login.microsoftonline.com'
      ? { status: 200, response: tokenBody }
      : request.url.pathname.endsWith('/contacts')
        ? fixture('dynamics-contacts')
        : fixture('dynamics-incidents'),
  );
}

const signal = new AbortController().signal;

describe('Entra ID sign-in with PKCE', () => {
  it('signs in with a code and an S256 challenge that matches the verifier it redeems', async () => {
    fakeBrowser.reset();
    const { identity, launched } = fakeIdentity('code');
    const { fetch, requests } = entra();
    const auth = createEntraAuth({ config, identity, session: fakeBrowser.storage.session, fetch });
    expect(await auth.signIn(signal)).toBe('at-1');
    const authorize = launched[0]?.url;
    expect(launched[0]?.interactive).toBe(true);
    expect(authorize?.origin + (authorize?.pathname ?? '')).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    );
    expect(authorize?.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(authorize?.searchParams.get('scope')).toBe(
      'https://contoso.crm4.dynamics.com/user_impersonation offline_access',
    );
    expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
    const form = new URLSearchParams(requests[0]?.body);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe('auth-code-1');
    const verifier = form.get('code_verifier') ?? '';
    const digest = new Uint8Array(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
    );
    const challenge = btoa(String.fromCharCode(...digest))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '');
    expect(authorize?.searchParams.get('code_challenge')).toBe(challenge);
  });

  it('keeps tokens in session storage only, reuses them, and refreshes an expired one', async () => {
    fakeBrowser.reset();
    const clock = { now: Date.parse('2026-11-21T12:00:00Z') };
    const { identity, launched } = fakeIdentity('code');
    const { fetch, requests } = entra();
    const auth = createEntraAuth({
      config,
      identity,
      session: fakeBrowser.storage.session,
      fetch,
      now: () => new Date(clock.now),
    });
    await auth.signIn(signal);
    expect(Object.keys(await fakeBrowser.storage.local.get(null))).toEqual([]);
    expect(await auth.accessToken(signal)).toBe('at-1');
    expect(requests).toHaveLength(1);
    clock.now += 3600_000;
    await auth.accessToken(signal);
    expect(new URLSearchParams(requests[1]?.body).get('grant_type')).toBe('refresh_token');
    expect(new URLSearchParams(requests[1]?.body).get('refresh_token')).toBe('rt-1');
    expect(launched).toHaveLength(1);
    await auth.signOut();
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it('never opens a window for a lookup: without a session it asks the agent to sign in', async () => {
    fakeBrowser.reset();
    const { identity, launched } = fakeIdentity('no-session');
    const auth = createEntraAuth({
      config,
      identity,
      session: fakeBrowser.storage.session,
      fetch: entra().fetch,
    });
    await expect(auth.accessToken(signal)).rejects.toBeInstanceOf(SignInRequired);
    expect(launched.map((l) => [l.interactive, l.url.searchParams.get('prompt')])).toEqual([
      [false, 'none'],
    ]);
  });

  it("reports Entra ID's refusal in its own words", async () => {
    fakeBrowser.reset();
    const auth = createEntraAuth({
      config,
      identity: fakeIdentity('refuse').identity,
      session: fakeBrowser.storage.session,
      fetch: entra().fetch,
    });
    await expect(auth.signIn(signal)).rejects.toThrow(
      'Entra ID refused the sign-in: AADSTS65001 consent required',
    );
  });

  it("looks contacts and cases up in Dynamics with the agent's token", async () => {
    fakeBrowser.reset();
    const { fetch, requests } = entra();
    const auth = createEntraAuth({
      config,
      identity: fakeIdentity('code').identity,
      session: fakeBrowser.storage.session,
      fetch,
    });
    await auth.signIn(signal);
    const context = await dynamicsDirectFetcher(config, auth, fetch).fetch(
      { namespace: 'phone', value: '+442079460123' },
      signal,
    );
    expect(context.matches[0]?.cases[0]?.title).toBe('Cracked drip tray');
    expect(requests[1]?.headers.get('authorization')).toBe('Bearer at-1');
  });
});
