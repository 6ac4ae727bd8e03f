import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { type ExtensionConfig, resolveConfig } from '../../shared/config';
import type { FetchLike } from '../gateway-client';
import { createSignIn } from '../sign-in';
import { createSignInActions } from '../sign-in-actions';
import { messagesWith, OWN_CONTENT_SCRIPT, OWN_PAGE, STRANGER } from '../test-support/messaging';

afterEach(() => fakeBrowser.reset());

const OIDC = { issuer: 'https://idp.example.com', clientId: 'caller-context' };
const DYNAMICS = {
  orgUrl: 'https://contoso.crm4.dynamics.com',
  tenantId: 'contoso.onmicrosoft.com',
  clientId: 'app-1',
};
const CLAIMS = Buffer.from(JSON.stringify({ name: 'Alex Agent' })).toString('base64url');

/** A provider that approves every sign-in, or refuses them all; any issuer's discovery. */
const provider =
  (approve: boolean): FetchLike =>
  async (input) => {
    const url = new URL(input);
    if (url.pathname.endsWith('/.well-known/openid-configuration'))
      return Response.json({
        authorization_endpoint: `${url.origin}/authorize`,
        token_endpoint: `${url.origin}/token`,
      });
    if (!approve)
      return Response.json(
        { error: 'invalid_client', error_description: 'Unknown client' },
        { status: 401 },
      );
    return Response.json({
      access_token: `token-for-${url.host}`,
      expires_in: 3600,
      id_token: `e30.${CLAIMS}.sig`,
    });
  };

function setup(config: Partial<ExtensionConfig>, approve = true) {
  let cleared = 0;
  const signIn = createSignIn({
    session: fakeBrowser.storage.session,
    fetch: provider(approve),
    identity: {
      getRedirectURL: (path) => `https://own-extension.chromiumapp.org/${path ?? ''}`,
      launchWebAuthFlow: async ({ url }) => {
        const asked = new URL(url);
        return `${asked.searchParams.get('redirect_uri')}?code=c&state=${asked.searchParams.get('state')}`;
      },
    },
  });
  const resolved = resolveConfig({});
  const messages = messagesWith({
    signInActions: createSignInActions({
      config: { get: async () => ({ ...resolved, config: { ...resolved.config, ...config } }) },
      signIn,
      contextService: { clear: async () => void cleared++ },
    }),
  });
  return { ...messages, cleared: () => cleared };
}

describe('sign-in messages', () => {
  it('needs no sign-in without a provider configured', async () => {
    const { deliver } = setup({});
    expect(await deliver('getSignInStatus', undefined, OWN_PAGE)).toEqual({
      required: false,
      signedIn: false,
    });
    expect(await deliver('signIn', undefined, OWN_PAGE)).toEqual({
      required: false,
      signedIn: false,
    });
  });

  it('signs the agent in and out, and drops what was fetched under the sign-in', async () => {
    const { deliver, cleared } = setup({ oidc: OIDC });
    expect(await deliver('getSignInStatus', undefined, OWN_PAGE)).toEqual({
      required: true,
      signedIn: false,
    });
    expect(await deliver('signIn', undefined, OWN_PAGE)).toMatchObject({
      required: true,
      signedIn: true,
      user: 'Alex Agent',
    });
    expect(await deliver('signOut', undefined, OWN_PAGE)).toEqual({
      required: true,
      signedIn: false,
    });
    expect(cleared()).toBe(1);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });

  it("shows the provider's refusal in words", async () => {
    const { deliver } = setup({ oidc: OIDC }, false);
    expect(await deliver('signIn', undefined, OWN_PAGE)).toEqual({
      required: true,
      signedIn: false,
      error: 'The sign-in provider refused: Unknown client.',
    });
  });

  it('signs in to Dynamics 365 with Entra ID and fetches contexts afresh', async () => {
    const { deliver, cleared } = setup({ dynamicsDirect: DYNAMICS });
    expect(await deliver('signInDynamics', undefined, OWN_PAGE)).toEqual({
      ok: true,
      message: 'Signed in to Dynamics 365.',
    });
    expect(cleared()).toBe(1);
    expect(Object.values(await fakeBrowser.storage.session.get(null))).toEqual([
      expect.objectContaining({ accessToken: 'token-for-login.microsoftonline.com' }),
    ]);
  });

  it('says why a Dynamics 365 sign-in cannot happen or failed', async () => {
    expect(await setup({}).deliver('signInDynamics', undefined, OWN_PAGE)).toEqual({
      ok: false,
      message: 'Dynamics 365 is not set up for direct access.',
    });
    const refused = setup({ dynamicsDirect: DYNAMICS }, false);
    expect(await refused.deliver('signInDynamics', undefined, OWN_PAGE)).toEqual({
      ok: false,
      message: 'Entra ID refused: Unknown client.',
    });
    expect(refused.cleared()).toBe(0);
  });

  it('answers no sign-in message to a content script or a stranger', async () => {
    const { deliver, cleared } = setup({ oidc: OIDC, dynamicsDirect: DYNAMICS });
    for (const sender of [OWN_CONTENT_SCRIPT, STRANGER])
      for (const type of ['getSignInStatus', 'signIn', 'signInDynamics', 'signOut'] as const)
        await expect(deliver(type, undefined, sender)).rejects.toThrow(
          `${type}: not from our pages`,
        );
    expect(cleared()).toBe(0);
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
  });
});
