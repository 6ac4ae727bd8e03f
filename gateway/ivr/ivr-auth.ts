import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from '../http-errors';
import { digest } from './agents';

/**
 * Lets through requests that carry an IVR key of `auth.ivrTokens`, and nothing else: these keys
 * open `/v1/ivr/*` only, and agents' tokens do not open it. The key comes as a bearer token, or as
 * the password of HTTP Basic authentication for flow designers that take credentials only that way
 * (Twilio Studio's Make HTTP Request widget: `https://ivr:KEY@gateway.example.com/...`,
 * https://www.twilio.com/docs/studio/widget-library/http-request; a Webex Contact Center connector
 * with Basic authentication).
 */
export function ivrAuth(ivrTokens: readonly string[]): MiddlewareHandler {
  const keys = ivrTokens.map(digest);
  return async (c, next) => {
    const presented = presentedKey(c.req.header('Authorization'));
    if (presented === undefined)
      return unauthorized(c, 'an IVR key is required (Authorization: Bearer KEY, or Basic auth)');
    const presentedDigest = digest(presented);
    let allowed = false;
    // Every key is compared, so the time taken says nothing about which one nearly matched.
    for (const key of keys) if (timingSafeEqual(key, presentedDigest)) allowed = true;
    if (!allowed) return unauthorized(c, 'this key does not open the IVR routes');
    await next();
  };
}

function presentedKey(header: string | undefined): string | undefined {
  const bearer = /^Bearer +(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  const basic = /^Basic +([A-Za-z0-9+/]+=*)\s*$/i.exec(header ?? '')?.[1];
  if (basic === undefined) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon < 0 ? '' : decoded.slice(colon + 1);
  return password === '' ? undefined : password;
}

function unauthorized(c: Context, message: string) {
  c.header('WWW-Authenticate', 'Bearer, Basic realm="ivr"');
  return c.json(errorBody('unauthorized', message), 401);
}
