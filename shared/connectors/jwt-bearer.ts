import { importPKCS8, SignJWT } from 'jose';
import { ConnectorError, type FetchLike } from './http';
import { cachedTokens, requestToken, type TokenSource } from './oauth';

export interface JwtBearerOptions {
  platform: string;
  tokenUrl: string;
  /** The connected app's consumer key: the assertion's issuer. */
  clientId: string;
  /** The user the integration acts as (their username): the assertion's subject. */
  subject: string;
  /** The authorization server, e.g. https://login.salesforce.com (test.salesforce.com for sandboxes). */
  audience: string;
  /** PKCS#8 PEM of the key whose certificate the connected app holds. */
  privateKeyPem: string;
  fetch: FetchLike;
  now: () => Date;
}

/** Salesforce accepts an assertion for at most 3 minutes; one is made per token request. */
const ASSERTION_LIFETIME_S = 180;
/** Salesforce answers no `expires_in`; the session lasts the org's timeout, at least this long. */
const ASSUMED_LIFETIME_MS = 10 * 60_000;

/**
 * OAuth 2.0 JWT bearer flow (RFC 7523), as Salesforce documents it for server-to-server
 * integration: an RS256-signed assertion (iss client id, sub username, aud the login server,
 * exp within 3 minutes) posted as `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
export function jwtBearer(options: JwtBearerOptions): TokenSource {
  return cachedTokens(options.now, async (signal) => {
    let key: CryptoKey;
    try {
      key = await importPKCS8(options.privateKeyPem, 'RS256');
    } catch {
      throw new ConnectorError(`${options.platform}: the private key is not a PKCS#8 PEM RSA key`);
    }
    const issuedAt = Math.floor(options.now().getTime() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(options.clientId)
      .setSubject(options.subject)
      .setAudience(options.audience)
      .setExpirationTime(issuedAt + ASSERTION_LIFETIME_S)
      .sign(key);
    const form = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    });
    const { token, lifetimeS } = await requestToken(options, form, signal);
    return {
      token,
      expiresAt:
        options.now().getTime() +
        (lifetimeS === undefined ? ASSUMED_LIFETIME_MS : lifetimeS * 1000),
    };
  });
}
