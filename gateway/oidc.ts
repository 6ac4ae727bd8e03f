import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { OidcConfig } from './config';

export type TokenCheck = { ok: true } | { ok: false; reason: string };

/** Signing algorithms an identity provider uses for access tokens (Entra ID, Okta, Keycloak). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/**
 * Verifies agents' OIDC access tokens: signature by a key of the issuer's JWKS (fetched once and
 * refreshed by jose when a new `kid` appears), `iss`, `aud`, and the time claims.
 * https://openid.net/specs/openid-connect-discovery-1_0.html for `jwks_uri`.
 */
export function oidcVerifier(
  config: OidcConfig,
  fetchImpl: typeof fetch = fetch,
): (token: string) => Promise<TokenCheck> {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const keySet = (): Promise<JWTVerifyGetKey> => {
    keys ??= jwksUrl(config, fetchImpl).then((url) => createRemoteJWKSet(new URL(url)));
    // A failed discovery is retried on the next request instead of being remembered.
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };
  return async (token) => {
    if (token.split('.').length !== 3) return { ok: false, reason: 'not a JWT' };
    let getKey: JWTVerifyGetKey;
    try {
      getKey = await keySet();
    } catch {
      return { ok: false, reason: "the identity provider's keys cannot be fetched" };
    }
    try {
      await jwtVerify(token, getKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ALGORITHMS,
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: reasonOf(error) };
    }
  };
}

async function jwksUrl(config: OidcConfig, fetchImpl: typeof fetch): Promise<string> {
  if (config.jwksUrl) return config.jwksUrl;
  const discovery = `${config.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const response = await fetchImpl(discovery, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`OIDC discovery answered ${response.status}`);
  const document = (await response.json()) as { jwks_uri?: unknown };
  if (typeof document.jwks_uri !== 'string') throw new Error('OIDC discovery has no jwks_uri');
  return document.jwks_uri;
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not accepted here`;
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer signed this token';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSEError)
    return 'the token cannot be verified';
  return 'the token cannot be verified';
}
