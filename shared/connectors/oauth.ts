import type { ConnectorDeps } from './connector';
import {
  ConnectorError,
  type FetchLike,
  isObject,
  type JsonRequest,
  type JsonResponse,
  num,
  requestJson,
  str,
} from './http';

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
  return cachedTokens(options.now, async (signal) => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
    });
    if (options.scope) form.set('scope', options.scope);
    const issued = await requestToken(options, form, signal);
    const lifetimeS = issued.lifetimeS ?? 300;
    return {
      token: issued.token,
      expiresAt: options.now().getTime() + lifetimeS * 1000 - EXPIRY_MARGIN_MS,
    };
  });
}

/** Where and how a token request goes; `platform` names it in messages ("<platform> sign-in"). */
export interface TokenEndpoint {
  platform: string;
  tokenUrl: string;
  fetch: FetchLike;
}

/**
 * Posts a grant to the token endpoint as a form (RFC 6749, 4.4.2; RFC 7523, 2.1) and reads the
 * access token and its `expires_in` (seconds, when the server says) from the answer (RFC 6749, 5.1).
 */
export async function requestToken(
  endpoint: TokenEndpoint,
  form: URLSearchParams,
  signal: AbortSignal,
): Promise<{ token: string; lifetimeS: number | undefined }> {
  const { body } = await requestJson(endpoint.fetch, {
    platform: `${endpoint.platform} sign-in`,
    url: endpoint.tokenUrl,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    signal,
  });
  const token = isObject(body) ? str(body.access_token) : undefined;
  if (!token) throw new ConnectorError(`${endpoint.platform} sign-in sent no access_token`);
  return { token, lifetimeS: isObject(body) ? num(body.expires_in) : undefined };
}

/**
 * A `TokenSource` over `fetchToken`: its token is reused until its `expiresAt` (epoch ms), and
 * concurrent callers share one request for a new one.
 */
export function cachedTokens(
  now: () => Date,
  fetchToken: (signal: AbortSignal) => Promise<{ token: string; expiresAt: number }>,
): TokenSource {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return {
    async get(signal) {
      if (cached && cached.expiresAt > now().getTime()) return cached.token;
      pending ??= fetchToken(signal)
        .then((fresh) => {
          cached = fresh;
          return fresh.token;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/**
 * A connector's access token: the delegated one its deps hand it (the agent's own sign-in, for
 * Dynamics 365 read from the worker), else its own sign-in, made on first use by `signIn`.
 */
export function connectorTokens(
  deps: Pick<ConnectorDeps, 'accessToken'>,
  signIn: () => TokenSource,
): TokenSource {
  let own: TokenSource | undefined;
  return {
    get(signal) {
      if (deps.accessToken) return deps.accessToken(signal);
      own ??= signIn();
      return own.get(signal);
    },
    invalidate() {
      own?.invalidate();
    },
  };
}

/**
 * `requestJson` with the token as a bearer (RFC 6750, 2.1). A 401 means the platform no longer
 * takes the token: it is forgotten, so the next request signs in again. `explain` may put a
 * platform's refusal (not the sign-in's) in its own words.
 */
export async function requestJsonWithToken(
  fetchImpl: FetchLike,
  tokens: TokenSource,
  request: JsonRequest,
  explain?: (refusal: ConnectorError) => ConnectorError,
): Promise<JsonResponse> {
  const token = await tokens.get(request.signal);
  try {
    return await requestJson(fetchImpl, {
      ...request,
      headers: { authorization: `Bearer ${token}`, ...request.headers },
    });
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    if (error.status === 401) tokens.invalidate();
    throw explain ? explain(error) : error;
  }
}
