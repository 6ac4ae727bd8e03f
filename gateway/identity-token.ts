import { errors, jwtVerify } from 'jose';
import { parseIdentity } from '../shared/identity';
import type { Identity } from '../shared/model';

/** A site's backend signs for at most this long ahead: a leaked token soon stops working. */
export const MAX_IDENTITY_TOKEN_SECONDS = 3600;
const CLOCK_TOLERANCE_SECONDS = 30;
/** RFC 7518 section 3.2: an HS256 key must be at least as long as the hash (32 bytes). */
export const MIN_SECRET_BYTES = 32;

export type IdentityTokenCheck = { ok: true; identity: Identity } | { ok: false; reason: string };

/**
 * Checks the `identityToken` a browser posts with a public site key: an HS256 JWT (RFC 7519)
 * that the site's backend signed with the site's secret for its signed-in customer, `sub` the
 * identity (`phone:+447700900123`, `email:jane@example.com`), `exp` at most an hour ahead.
 * Verified with jose; HS256 only, so a token cannot pick a weaker or asymmetric algorithm.
 */
export async function verifyIdentityToken(
  token: unknown,
  secret: Uint8Array,
  now: () => Date = () => new Date(),
): Promise<IdentityTokenCheck> {
  if (typeof token !== 'string' || token.length === 0)
    return { ok: false, reason: 'identityToken is required with a site key' };
  if (token.length > 4096 || token.split('.').length !== 3)
    return { ok: false, reason: 'identityToken is not a JWT' };
  let payload: { sub?: string; exp?: number };
  try {
    ({ payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: now(),
    }));
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
  const nowSeconds = Math.floor(now().getTime() / 1000);
  if ((payload.exp ?? 0) > nowSeconds + MAX_IDENTITY_TOKEN_SECONDS + CLOCK_TOLERANCE_SECONDS)
    return { ok: false, reason: 'identityToken expires more than an hour ahead' };
  const identity = parseIdentity(String(payload.sub));
  if (!identity.ok) return { ok: false, reason: `identityToken's sub: ${identity.error}` };
  if (identity.value.namespace !== 'phone' && identity.value.namespace !== 'email')
    return { ok: false, reason: "identityToken's sub must be a phone: or email: identity" };
  return { ok: true, identity: identity.value };
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'identityToken has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return error.reason === 'missing'
      ? `identityToken has no ${error.claim} claim`
      : `identityToken's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'identityToken must be signed with HS256';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "identityToken's signature does not verify";
  return 'identityToken cannot be verified';
}
