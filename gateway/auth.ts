import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from './http-errors';
import type { TokenCheck } from './oidc';

/**
 * Who made a request, as the logs name them and as after-call events are stamped.
 * - `agent`: an agent's static token (`auth.tokens`) or OIDC sign-in; every agent route.
 * - `collector`: a server-side collect key (`auth.collectTokens`, secret): web events for anyone.
 * - `site`: a public site key (`auth.siteKeys`): web events only with a signed identity token.
 */
export interface Principal {
  kind: 'agent' | 'collector' | 'site';
  /**
   * Stable and safe to log: `oidc:<sub>`, `token:<digest>`, `collect:<digest>`, `site:<name>`.
   * Also scopes the event ids a key posts, so one key cannot pre-claim another's ids.
   */
  id: string;
  name?: string;
  email?: string;
  /**
   * An agent who may see the team's live calls and listen in (README, "Supervisors"): a static
   * token marked `supervisor` in `auth.agents`, or an OIDC token with `auth.oidc.supervisor`'s claim.
   */
  supervisor?: boolean;
}

/** A static token and the principal it stands for. */
export interface KnownToken {
  /** sha256 of the token: comparing equal-length digests keeps the comparison constant-time. */
  digest: Buffer;
  principal: Principal;
}

/** Static tokens of one kind, each named by a short digest (never the token itself). */
export function knownTokens(
  tokens: readonly string[],
  kind: Principal['kind'],
  prefix: string,
): KnownToken[] {
  return tokens.map((token) => ({
    digest: tokenDigest(token),
    principal: { kind, id: `${prefix}:${tokenDigest(token).toString('hex').slice(0, 10)}` },
  }));
}

/** By the request's context: middleware (bodyLimit) may replace `c.req.raw` on the way. */
const principals = new WeakMap<Context, Principal>();

/** The principal `authenticate` found for this request. */
export function principalOf(c: Context): Principal | undefined {
  return principals.get(c);
}

export interface AuthenticateOptions {
  /** Every static token, each with its principal. */
  tokens: readonly KnownToken[];
  /** OIDC access tokens (agents only). */
  verifyJwt?: (token: string) => Promise<TokenCheck>;
  /** The kinds of principal this request's route lets in. */
  allowed: (c: Context) => readonly Principal['kind'][];
}

/**
 * Requires `Authorization: Bearer <token>`: a static token of `tokens` or an OIDC token that
 * `verifyJwt` accepts, of a kind the route allows. Every static token is compared, so the time
 * taken says nothing about which one nearly matched.
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler {
  return async (c, next) => {
    const presented = /^Bearer +(\S+)\s*$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    if (presented === undefined)
      return unauthorized(c, 'an Authorization: Bearer token is required');
    const presentedDigest = tokenDigest(presented);
    let found: Principal | undefined;
    for (const token of options.tokens) {
      if (timingSafeEqual(token.digest, presentedDigest)) found = token.principal;
    }
    if (!found && options.verifyJwt) {
      const check = await options.verifyJwt(presented);
      if (!check.ok) return unauthorized(c, `the bearer token is not valid: ${check.reason}`);
      found = check.principal;
    }
    if (!found || !options.allowed(c).includes(found.kind))
      return unauthorized(c, 'the bearer token is not valid for this route');
    principals.set(c, found);
    await next();
  };
}

export function unauthorized(c: Context, message: string) {
  c.header('WWW-Authenticate', 'Bearer');
  return c.json(errorBody('unauthorized', message), 401);
}

/** sha256 of a token. */
export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
