import type { DynamicsDirectConfig } from '../shared/config';
import {
  ConnectorError,
  type FetchLike,
  isObject,
  num,
  requestJson,
  str,
} from '../shared/connectors/http';

/** The parts of `browser.identity` the sign-in needs (tests hand in a fake). */
export interface IdentityApi {
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
  getRedirectURL(path?: string): string;
}

/** `browser.storage.session`: memory only, gone when the browser closes, never on disk. */
export interface SessionStorageApi {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string): Promise<void>;
}

interface StoredToken {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
}

/** Thrown when only an interactive sign-in can get a token: the agent must click "Sign in". */
export class SignInRequired extends Error {
  constructor() {
    super('Sign in to Dynamics 365 to see its contacts and cases.');
  }
}

const EXPIRY_MARGIN_MS = 60_000;

/**
 * The agent's own Entra ID sign-in for Dynamics 365: authorization code with PKCE (RFC 7636)
 * through `identity.launchWebAuthFlow`, tokens kept in `storage.session` only. Lookups never pop
 * a window: they use the stored token, its refresh token, or a silent flow, and otherwise ask
 * the agent to sign in (`signIn`, from a click).
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
export function createEntraAuth(deps: {
  config: DynamicsDirectConfig;
  identity: IdentityApi;
  session: SessionStorageApi;
  fetch: FetchLike;
  now?: () => Date;
}) {
  const { config } = deps;
  const now = deps.now ?? (() => new Date());
  const authority = `https://login.microsoftonline.com/${encodeURIComponent(config.tenantId)}/oauth2/v2.0`;
  const scope = `${config.orgUrl}/user_impersonation offline_access`;
  const storageKey = `entraToken:${config.clientId}:${config.orgUrl}`;
  const redirectUri = deps.identity.getRedirectURL('entra');

  const save = async (body: unknown): Promise<string> => {
    const accessToken = isObject(body) ? str(body.access_token) : undefined;
    if (!accessToken || !isObject(body)) throw new ConnectorError('Entra ID sent no access token');
    const token: StoredToken = {
      accessToken,
      expiresAt: now().getTime() + (num(body.expires_in) ?? 300) * 1000 - EXPIRY_MARGIN_MS,
    };
    const refreshToken = str(body.refresh_token);
    if (refreshToken) token.refreshToken = refreshToken;
    await deps.session.set({ [storageKey]: token });
    return accessToken;
  };

  const redeem = (form: Record<string, string>, signal: AbortSignal) =>
    requestJson(deps.fetch, {
      platform: 'Entra ID',
      url: `${authority}/token`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: config.clientId, scope, ...form }).toString(),
      signal,
    });

  const codeFlow = async (interactive: boolean, signal: AbortSignal): Promise<string> => {
    const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = base64Url(
      new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
    );
    const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
    const url = new URL(`${authority}/authorize`);
    url.search = new URLSearchParams({
      client_id: config.clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      ...(interactive ? {} : { prompt: 'none' }),
    }).toString();
    let redirected: string | undefined;
    try {
      redirected = await deps.identity.launchWebAuthFlow({ url: url.href, interactive });
    } catch {
      if (!interactive) throw new SignInRequired();
      throw new ConnectorError('The Dynamics 365 sign-in was closed before it finished.');
    }
    const answer = new URL(redirected ?? 'about:blank');
    const params = new URLSearchParams(answer.search);
    if (params.get('state') !== state)
      throw new ConnectorError('The sign-in answer did not match.');
    const code = params.get('code');
    if (!code) {
      if (!interactive) throw new SignInRequired();
      const reason = params.get('error_description') ?? params.get('error') ?? 'no code';
      throw new ConnectorError(`Entra ID refused the sign-in: ${reason.slice(0, 200)}`);
    }
    const { body } = await redeem(
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      },
      signal,
    );
    return save(body);
  };

  return {
    /** A token for a lookup, without ever opening a window. */
    async accessToken(signal: AbortSignal): Promise<string> {
      const stored = (await deps.session.get(storageKey))[storageKey] as StoredToken | undefined;
      if (stored && stored.expiresAt > now().getTime()) return stored.accessToken;
      if (stored?.refreshToken) {
        try {
          const { body } = await redeem(
            { grant_type: 'refresh_token', refresh_token: stored.refreshToken },
            signal,
          );
          return await save(body);
        } catch {
          await deps.session.remove(storageKey);
        }
      }
      return codeFlow(false, signal);
    },
    /** The agent's sign-in, from a click: may show Microsoft's sign-in window. */
    signIn(signal: AbortSignal = AbortSignal.timeout(300_000)): Promise<string> {
      return codeFlow(true, signal);
    },
    async signOut(): Promise<void> {
      await deps.session.remove(storageKey);
    },
  };
}

export type EntraAuth = ReturnType<typeof createEntraAuth>;

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
