import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from './http-errors';
import type { TokenCheck } from './oidc';

/** Token digests: comparing equal-length digests keeps the comparison constant-time. */
export type TokenSet = readonly Buffer[];

export function tokenSet(tokens: readonly string[]): TokenSet {
  return tokens.map(digest);
}

/**
 * Requires `Authorization: Bearer <token>` with one of the tokens `allowedFor` gives for the
 * request, or an OIDC token that `verifyJwt` accepts. Every static token is compared, so the time
 * taken says nothing about which one nearly matched.
 */
export function bearerAuth(
  allowedFor: (c: Context) => TokenSet,
  verifyJwt?: (token: string) => Promise<TokenCheck>,
): MiddlewareHandler {
  return async (c, next) => {
    const presented = /^Bearer +(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    if (presented === undefined)
      return unauthorized(c, 'an Authorization: Bearer token is required');
    const presentedDigest = digest(presented);
    let allowed = false;
    for (const token of allowedFor(c)) {
      if (timingSafeEqual(token, presentedDigest)) allowed = true;
    }
    if (!allowed && verifyJwt) {
      const check = await verifyJwt(presented);
      if (!check.ok) return unauthorized(c, `the bearer token is not valid: ${check.reason}`);
      allowed = true;
    }
    if (!allowed) return unauthorized(c, 'the bearer token is not valid for this route');
    await next();
  };
}

function unauthorized(c: Context, message: string) {
  c.header('WWW-Authenticate', 'Bearer');
  return c.json(errorBody('unauthorized', message), 401);
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
