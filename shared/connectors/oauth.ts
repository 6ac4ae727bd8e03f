import { ConnectorError, type FetchLike, isObject, num, requestJson, str } from './http';

export interface ClientCredentials {
  platform: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  fetch: FetchLike;
  now: () => Date;
}

export interface TokenSource {
  /** A valid access token; fetched once and reused until shortly before it expires. */
  get(signal: AbortSignal): Promise<string>;
  /** Forgets the cached token (the platform refused it). */
  invalidate(): void;
}

/** Renew this long before the token's stated expiry, so a request never carries a dying token. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * OAuth 2.0 client credentials (RFC 6749, 4.4) as Adobe IMS (`/ims/token/v3`) and Entra ID
 * (`/oauth2/v2.0/token`) take them: a form POST with the client id and secret. Concurrent callers
 * share one token request.
 */
export function clientCredentials(options: ClientCredentials): TokenSource {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (signal: AbortSignal): Promise<string> => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
    });
    if (options.scope) form.set('scope', options.scope);
    const { body } = await requestJson(options.fetch, {
      platform: `${options.platform} sign-in`,
      url: options.tokenUrl,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal,
    });
    const token = isObject(body) ? str(body.access_token) : undefined;
    if (!token) throw new ConnectorError(`${options.platform} sign-in sent no access_token`);
    const lifetimeS = (isObject(body) ? num(body.expires_in) : undefined) ?? 300;
    cached = {
      token,
      expiresAt: options.now().getTime() + lifetimeS * 1000 - EXPIRY_MARGIN_MS,
    };
    return token;
  };

  return {
    async get(signal) {
      if (cached && cached.expiresAt > options.now().getTime()) return cached.token;
      pending ??= fetchToken(signal).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
