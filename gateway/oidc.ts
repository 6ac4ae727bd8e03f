import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Principal } from './auth';
import type { OidcConfig } from './config';
import { carriesSupervisorClaim } from './conversations/supervisor-role';

export type TokenCheck =
  | { ok: true; principal: Principal; claims: JWTPayload }
  | { ok: false; reason: string };

/** Signing algorithms an identity provider uses for access tokens (Entra ID, Okta, Keycloak). */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/**
 * Verifies agents' OIDC access tokens: signature by a key of the issuer's JWKS (fetched once and
 * refreshed by jose when a new `kid` appears), `iss`, `aud`, and the time claims. `exp` and `sub`
 * are required (a token without an expiry would open the gateway for ever; one without a subject
 * names nobody in the logs), and with `requiredRole` the token must carry that app role (`roles`,
 * Entra ID and Keycloak) or scope (`scp`, Entra ID; `scope`, RFC 9068).
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
      const { payload } = await jwtVerify(token, getKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
      });
      if (config.requiredRole && !carriesRole(payload, config.requiredRole))
        return { ok: false, reason: `the token does not carry the role ${config.requiredRole}` };
      const principal = principalOf(payload);
      if (config.supervisor && carriesSupervisorClaim(payload, config.supervisor))
        principal.supervisor = true;
      return { ok: true, principal, claims: payload };
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

/** https://www.rfc-editor.org/rfc/rfc9068#section-2.2.3 (`scope`); Entra ID's `roles` and `scp`. */
export function carriesRole(claims: JWTPayload, role: string): boolean {
  const { roles, scp, scope } = claims;
  if (Array.isArray(roles) && roles.includes(role)) return true;
  for (const list of [scp, scope]) {
    if (typeof list === 'string' && list.split(' ').includes(role)) return true;
    if (Array.isArray(list) && list.includes(role)) return true;
  }
  return false;
}

function principalOf(claims: JWTPayload): Principal {
  const text = (key: string) => {
    const value = claims[key];
    return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
  };
  const email = ['email', 'preferred_username', 'upn']
    .map(text)
    .find((value) => value?.includes('@'));
  const name = text('name');
  return {
    kind: 'agent',
    id: `oidc:${claims.sub}`,
    ...(name ? { name } : {}),
    ...(email ? { email: email.toLowerCase() } : {}),
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return error.reason === 'missing'
      ? `the token has no ${error.claim} claim`
      : `the token's ${error.claim} claim is not accepted here`;
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the issuer signed this token';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JOSEError)
    return 'the token cannot be verified';
  return 'the token cannot be verified';
}
