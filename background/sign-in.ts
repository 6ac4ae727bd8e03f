import type { OidcSettings } from '../shared/config';
import type { FetchLike } from './gateway-client';

/** The parts of `browser.identity` the sign-in uses. */
export interface IdentityApi {
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
  getRedirectURL(path?: string): string;
}

/** `browser.storage.session`: tokens never touch disk, and go when the browser closes. */
export interface SessionStorageApi {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface SignInDeps {
  identity: IdentityApi;
  session: SessionStorageApi;
  fetch: FetchLike;
  now?: () => number;
  randomBytes?: (length: number) => Uint8Array;
}

/**
 * One OpenID Connect client the agent signs in with: the gateway's provider (config `oidc` as it
 * stands), or Entra ID for Dynamics 365 read directly.
 */
export interface OidcClient extends OidcSettings {
  /** Where in session storage its tokens live; one key per client. Default `oidcTokens`. */
  storageKey?: string;
  /** The path of the identity redirect URL (`https://<id>.chromiumapp.org/<path>`) registered for it. */
  redirectPath?: string;
  /** Who the agent is told about in messages. Default "the sign-in provider". */
  providerName?: string;
}

export interface SignInStatus {
  signedIn: boolean;
  /** Who, from the ID token (name or email), when the provider gave one. */
  user?: string;
  expiresAt?: string;
}

interface StoredTokens {
  issuer: string;
  clientId: string;
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  user?: string;
}

interface Endpoints {
  authorization_endpoint: string;
  token_endpoint: string;
}

export const TOKENS_KEY = 'oidcTokens';
/** Refresh this long before expiry, so a lookup never leaves with a token about to lapse. */
const REFRESH_MARGIN_MS = 60_000;
const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
/** Longest wait for the provider to answer one request. */
const REQUEST_TIMEOUT_MS = 15_000;

export class SignInError extends Error {}

/**
 * The agent's sign-in with an OpenID Connect provider: authorization code with PKCE (RFC 7636)
 * through `identity.launchWebAuthFlow`, endpoints from the provider's discovery document, tokens
 * in session storage only, refreshed before they expire. Used for the gateway (config `oidc`) and
 * for Entra ID, whose discovery document lists the same two endpoints
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc).
 */
export function createSignIn(deps: SignInDeps) {
  const now = deps.now ?? (() => Date.now());
  const randomBytes = deps.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n)));
  // Concurrent lookups share one refresh per client: a refresh token may be single-use.
  const refreshing = new Map<string, Promise<StoredTokens | null>>();

  const keyOf = (client: Pick<OidcClient, 'storageKey'>) => client.storageKey ?? TOKENS_KEY;
  const nameOf = (client: OidcClient) => client.providerName ?? 'the sign-in provider';
  const scopeOf = (client: OidcClient) => (client.scopes ?? DEFAULT_SCOPES).join(' ');

  const discover = async (client: OidcClient, signal?: AbortSignal): Promise<Endpoints> => {
    const url = `${client.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const body = await requestProviderJson(deps.fetch, url, { signal }, nameOf(client));
    const endpoints = body as Partial<Endpoints>;
    if (
      typeof endpoints.authorization_endpoint !== 'string' ||
      typeof endpoints.token_endpoint !== 'string'
    )
      throw new SignInError(`${capitalize(nameOf(client))} does not describe its endpoints.`);
    return endpoints as Endpoints;
  };

  const redeem = async (
    client: OidcClient,
    tokenEndpoint: string,
    form: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<TokenResponse> => {
    // `scope` goes with every token request: Entra ID wants it to know which resource the token
    // is for (https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow);
    // other providers ignore it or take it as the scopes already granted (RFC 6749, 6).
    const body = await requestProviderJson(
      deps.fetch,
      tokenEndpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({
          ...form,
          client_id: client.clientId,
          scope: scopeOf(client),
        }).toString(),
        signal,
      },
      nameOf(client),
    );
    const response = body as Partial<TokenResponse>;
    if (typeof response.access_token !== 'string')
      throw new SignInError(`${capitalize(nameOf(client))} sent no access token.`);
    return response as TokenResponse;
  };

  const stored = async (client: OidcClient): Promise<StoredTokens | null> => {
    const key = keyOf(client);
    const value = (await deps.session.get([key]))[key] as StoredTokens | undefined;
    // Tokens of another provider or client (the policy changed) are not ours to use.
    if (!value || value.issuer !== client.issuer || value.clientId !== client.clientId) return null;
    return value;
  };

  const save = async (client: OidcClient, response: TokenResponse, previous?: StoredTokens) => {
    const tokens: StoredTokens = {
      issuer: client.issuer,
      clientId: client.clientId,
      accessToken: response.access_token,
      expiresAt: now() + (response.expires_in ?? 3600) * 1000,
    };
    // Entra ID and others rotate refresh tokens: keep the newest, or the old one if none came.
    const refreshToken = response.refresh_token ?? previous?.refreshToken;
    if (refreshToken) tokens.refreshToken = refreshToken;
    const user = userOf(response.id_token) ?? previous?.user;
    if (user) tokens.user = user;
    await deps.session.set({ [keyOf(client)]: tokens });
    return tokens;
  };

  const refresh = async (
    client: OidcClient,
    tokens: StoredTokens,
    signal?: AbortSignal,
  ): Promise<StoredTokens | null> => {
    if (!tokens.refreshToken) return null;
    try {
      const { token_endpoint } = await discover(client, signal);
      const response = await redeem(
        client,
        token_endpoint,
        { grant_type: 'refresh_token', refresh_token: tokens.refreshToken },
        signal,
      );
      return await save(client, response, tokens);
    } catch {
      // A refresh the provider refuses means signing in again; the agent is told by the status.
      await deps.session.remove([keyOf(client)]);
      return null;
    }
  };

  const signIn = async (
    client: OidcClient,
    options: { interactive?: boolean; signal?: AbortSignal } = {},
  ): Promise<SignInStatus> => {
    const interactive = options.interactive ?? true;
    const endpoints = await discover(client, options.signal);
    const verifier = base64url(randomBytes(32));
    const state = base64url(randomBytes(16));
    const challenge = base64url(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
    );
    const redirectUri = deps.identity.getRedirectURL(client.redirectPath);
    const url = new URL(endpoints.authorization_endpoint);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: client.clientId,
      redirect_uri: redirectUri,
      scope: scopeOf(client),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    if (client.audience) params.audience = client.audience;
    // Without a window the provider must answer at once from its own session, or refuse.
    if (!interactive) params.prompt = 'none';
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);

    let result: string | undefined;
    try {
      result = await deps.identity.launchWebAuthFlow({ url: url.href, interactive });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'closed';
      throw new SignInError(`Sign-in did not finish (${reason}).`);
    }
    if (!result) throw new SignInError('Sign-in did not finish.');
    const answer = new URL(result).searchParams;
    if (answer.get('state') !== state)
      throw new SignInError('Sign-in answer did not match the request.');
    const error = answer.get('error');
    if (error)
      throw new SignInError(
        `${capitalize(nameOf(client))} refused: ${(answer.get('error_description') ?? error).slice(0, 300)}.`,
      );
    const code = answer.get('code');
    if (!code) throw new SignInError(`${capitalize(nameOf(client))} sent no authorization code.`);
    const response = await redeem(
      client,
      endpoints.token_endpoint,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      },
      options.signal,
    );
    return statusOf(await save(client, response));
  };

  return {
    /**
     * Signs the agent in. Interactive (the default, from a click) may show the provider's
     * window; `interactive: false` only asks the provider's own session, without a window.
     */
    signIn,

    async signOut(client: Pick<OidcClient, 'storageKey'> = {}): Promise<void> {
      await deps.session.remove([keyOf(client)]);
    },

    async status(client: OidcClient): Promise<SignInStatus> {
      const tokens = await stored(client);
      if (!tokens) return { signedIn: false };
      if (tokens.expiresAt <= now() && !tokens.refreshToken) return { signedIn: false };
      return statusOf(tokens);
    },

    /**
     * A valid access token, refreshed when it is about to expire; null when signed out. With
     * `silent`, a missing or refused token is tried once more without a window (the provider's
     * own session), never opening one: lookups must not pop up sign-in pages.
     */
    async accessToken(
      client: OidcClient,
      options: { silent?: boolean; signal?: AbortSignal } = {},
    ): Promise<string | null> {
      const tokens = await stored(client);
      if (tokens && tokens.expiresAt - REFRESH_MARGIN_MS > now()) return tokens.accessToken;
      if (tokens) {
        const key = keyOf(client);
        let pending = refreshing.get(key);
        if (!pending) {
          pending = refresh(client, tokens, options.signal).finally(() => refreshing.delete(key));
          refreshing.set(key, pending);
        }
        const refreshed = await pending;
        if (refreshed) return refreshed.accessToken;
      }
      if (!options.silent) return null;
      try {
        await signIn(client, {
          interactive: false,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        return (await stored(client))?.accessToken ?? null;
      } catch {
        return null;
      }
    },
  };
}

export type SignIn = ReturnType<typeof createSignIn>;

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  id_token?: string;
}

/**
 * One JSON exchange with the sign-in provider (discovery, token endpoint), bounded by a timeout.
 * Unlike the connectors' `requestJson` (shared/connectors/http.ts), which words failures for the
 * admin who configured a platform, this one's `SignInError`s are shown to the agent signing in,
 * and it takes the OAuth error's own words (RFC 6749, 5.2) as the reason.
 */
async function requestProviderJson(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  who: string,
): Promise<unknown> {
  let response: Response;
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  try {
    response = await fetchImpl(url, { ...init, signal });
  } catch {
    throw new SignInError(`Cannot reach ${who} at ${new URL(url).origin}.`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new SignInError(`${capitalize(who)} answered ${response.status} without JSON.`);
  }
  if (!response.ok) {
    const b = body as { error?: unknown; error_description?: unknown };
    const reason =
      typeof b.error_description === 'string'
        ? b.error_description
        : String(b.error ?? response.status);
    throw new SignInError(`${capitalize(who)} refused: ${reason.slice(0, 300)}.`);
  }
  return body;
}

function statusOf(tokens: StoredTokens): SignInStatus {
  return {
    signedIn: true,
    ...(tokens.user ? { user: tokens.user } : {}),
    expiresAt: new Date(tokens.expiresAt).toISOString(),
  };
}

/** The name or email in an ID token's claims, for "signed in as"; the token is not trusted for more. */
function userOf(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))),
    ) as Record<string, unknown>;
    const user = claims.name ?? claims.email ?? claims.preferred_username;
    return typeof user === 'string' ? user : undefined;
  } catch {
    return undefined;
  }
}

export function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
