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

export class SignInError extends Error {}

/**
 * Agents' sign-in to the gateway with the organisation's OpenID Connect provider: authorization
 * code with PKCE (RFC 7636) through `identity.launchWebAuthFlow`, tokens in session storage only,
 * refreshed before they expire.
 */
export function createSignIn(deps: SignInDeps) {
  const now = deps.now ?? (() => Date.now());
  const randomBytes = deps.randomBytes ?? ((n) => crypto.getRandomValues(new Uint8Array(n)));
  let refreshing: Promise<StoredTokens | null> | null = null;

  const discover = async (oidc: OidcSettings): Promise<Endpoints> => {
    const url = `${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const body = await requestJson(deps.fetch, url, {}, 'the sign-in provider');
    const endpoints = body as Partial<Endpoints>;
    if (
      typeof endpoints.authorization_endpoint !== 'string' ||
      typeof endpoints.token_endpoint !== 'string'
    )
      throw new SignInError('The sign-in provider does not describe its endpoints.');
    return endpoints as Endpoints;
  };

  const stored = async (oidc: OidcSettings): Promise<StoredTokens | null> => {
    const value = (await deps.session.get([TOKENS_KEY]))[TOKENS_KEY] as StoredTokens | undefined;
    // Tokens of another provider or client (the policy changed) are not ours to use.
    if (!value || value.issuer !== oidc.issuer || value.clientId !== oidc.clientId) return null;
    return value;
  };

  const save = async (oidc: OidcSettings, response: TokenResponse, previous?: StoredTokens) => {
    const tokens: StoredTokens = {
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      accessToken: response.access_token,
      expiresAt: now() + (response.expires_in ?? 3600) * 1000,
    };
    const refreshToken = response.refresh_token ?? previous?.refreshToken;
    if (refreshToken) tokens.refreshToken = refreshToken;
    const user = userOf(response.id_token) ?? previous?.user;
    if (user) tokens.user = user;
    await deps.session.set({ [TOKENS_KEY]: tokens });
    return tokens;
  };

  const refresh = async (
    oidc: OidcSettings,
    tokens: StoredTokens,
  ): Promise<StoredTokens | null> => {
    if (!tokens.refreshToken) return null;
    try {
      const { token_endpoint } = await discover(oidc);
      const response = await postForm(deps.fetch, token_endpoint, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken,
        client_id: oidc.clientId,
      });
      return await save(oidc, response, tokens);
    } catch {
      // A refresh the provider refuses means signing in again; the agent is told by the status.
      await deps.session.remove([TOKENS_KEY]);
      return null;
    }
  };

  return {
    async signIn(oidc: OidcSettings): Promise<SignInStatus> {
      const endpoints = await discover(oidc);
      const verifier = base64url(randomBytes(32));
      const state = base64url(randomBytes(16));
      const challenge = base64url(
        new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
      );
      const redirectUri = deps.identity.getRedirectURL();
      const url = new URL(endpoints.authorization_endpoint);
      const params: Record<string, string> = {
        response_type: 'code',
        client_id: oidc.clientId,
        redirect_uri: redirectUri,
        scope: (oidc.scopes ?? DEFAULT_SCOPES).join(' '),
        state,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      };
      if (oidc.audience) params.audience = oidc.audience;
      for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);

      let result: string | undefined;
      try {
        result = await deps.identity.launchWebAuthFlow({ url: url.href, interactive: true });
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
          `The sign-in provider refused: ${answer.get('error_description') ?? error}.`,
        );
      const code = answer.get('code');
      if (!code) throw new SignInError('The sign-in provider sent no authorization code.');
      const response = await postForm(deps.fetch, endpoints.token_endpoint, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: oidc.clientId,
        code_verifier: verifier,
      });
      const tokens = await save(oidc, response);
      return statusOf(tokens);
    },

    async signOut(): Promise<void> {
      await deps.session.remove([TOKENS_KEY]);
    },

    async status(oidc: OidcSettings): Promise<SignInStatus> {
      const tokens = await stored(oidc);
      if (!tokens) return { signedIn: false };
      if (tokens.expiresAt <= now() && !tokens.refreshToken) return { signedIn: false };
      return statusOf(tokens);
    },

    /** A valid access token, refreshed when it is about to expire; null when signed out. */
    async accessToken(oidc: OidcSettings): Promise<string | null> {
      const tokens = await stored(oidc);
      if (!tokens) return null;
      if (tokens.expiresAt - REFRESH_MARGIN_MS > now()) return tokens.accessToken;
      // Concurrent lookups share one refresh: a refresh token may be single-use.
      refreshing ??= refresh(oidc, tokens).finally(() => {
        refreshing = null;
      });
      return (await refreshing)?.accessToken ?? null;
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

async function postForm(
  fetchImpl: FetchLike,
  url: string,
  form: Record<string, string>,
): Promise<TokenResponse> {
  const body = await requestJson(
    fetchImpl,
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    },
    'the sign-in provider',
  );
  const response = body as Partial<TokenResponse>;
  if (typeof response.access_token !== 'string')
    throw new SignInError('The sign-in provider sent no access token.');
  return response as TokenResponse;
}

async function requestJson(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  who: string,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(15_000) });
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
    throw new SignInError(`${capitalize(who)} refused: ${reason}.`);
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
