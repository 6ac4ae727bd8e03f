import type { Context, Hono } from 'hono';
import { type AfterCallEvent, parseAfterCallEvent } from '../../shared/after-call';
import { formatIdentity } from '../../shared/identity';
import { type Principal, principalOf } from '../auth';
import { parseCollectBody, parseCollectIdentity } from '../collect-body';
import type { AgentStamp, LedgerEvent } from '../event-store';
import { ApiError, badRequest } from '../http-errors';
import { verifyIdentityToken } from '../identity-token';
import { isRecord } from '../json-shape';
import { clientAddress } from '../rate-limit';
import { jsonBody } from '../request-input';
import { noteFields, noteIdentity } from '../request-log';
import type { RouteDeps } from './route-deps';

const MAX_EVENT_ID = 128;

export function registerWriteRoutes(app: Hono, deps: RouteDeps): void {
  app.post('/v1/collect', async (c) => {
    const principal = requirePrincipal(c);
    await deps.limiter.take('collect-key', principal.id, deps.rateLimits.collectPerKey);
    if (principal.kind === 'site') {
      const address = clientAddress(c, deps.rateLimits.trustedProxyHops, deps.peerAddress);
      await deps.limiter.take(
        'collect-address',
        `${principal.id}:${address}`,
        deps.rateLimits.collectPerAddress,
      );
    }
    const body = await jsonBody(c);
    if (principal.kind === 'site') await checkIdentityToken(deps, principal, body);
    const batch = parseCollectBody(body, deps.now(), () => crypto.randomUUID());
    noteIdentity(c, batch.identity);
    // Ids are the posting key's own: another key's event with the same id is another event.
    const events = batch.events.map((event) => ({ ...event, id: `${principal.id}:${event.id}` }));
    await deps.live.append(batch.identity, events);
    noteFields(c, { events: events.length });
    return c.json({ accepted: batch.events.length }, 202);
  });

  app.post('/v1/events', async (c) => {
    const principal = requirePrincipal(c);
    const body = await jsonBody(c);
    if (!isRecord(body)) throw badRequest('the body must be a JSON object with an "id"');
    const { id } = body;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_EVENT_ID)
      throw badRequest(`id must be a string of 1 to ${MAX_EVENT_ID} characters`);
    // With sinks, the event must be one they can map; without, any object with an id is kept.
    const parsed: AfterCallEvent | Error | null =
      deps.sinkIds.length > 0 ? parseAfterCallEvent(body) : null;
    if (parsed instanceof Error) throw badRequest(parsed.message);
    const agent = stampOf(principal);
    // The agent is the gateway's to say, from the sign-in; a client's own `agent` is replaced.
    const event: LedgerEvent = { ...(parsed ?? body), id, agent };
    const identity = parsed?.identity;
    if (identity) noteIdentity(c, identity);
    const { duplicate } = await deps.events.put(event, agent, deps.sinkIds, deps.now());
    if (!duplicate) deps.delivery.kick();
    noteFields(c, { event: id, duplicate });
    return c.json({ id, duplicate }, 202);
  });
}

function requirePrincipal(c: Context): Principal {
  const principal = principalOf(c);
  if (!principal) throw new ApiError(401, 'unauthorized', 'the request is not authenticated');
  return principal;
}

function stampOf(principal: Principal): AgentStamp {
  return {
    id: principal.id,
    ...(principal.name ? { name: principal.name } : {}),
    ...(principal.email ? { email: principal.email } : {}),
  };
}

/**
 * A public site key posts only for the customer its site signed in: the body's identity must be
 * the identity token's `sub` (or is taken from it when left out). Anything else is a 401 and
 * nothing is stored.
 */
async function checkIdentityToken(deps: RouteDeps, principal: Principal, body: unknown) {
  const secret = deps.siteSecrets.get(principal.id);
  if (!secret)
    throw new ApiError(
      401,
      'unauthorized',
      'this site key has no identity secret set up at the gateway',
      {
        'WWW-Authenticate': 'Bearer',
      },
    );
  const token = isRecord(body) ? body.identityToken : undefined;
  const check = await verifyIdentityToken(token, secret, deps.now);
  if (!check.ok) throw new ApiError(401, 'invalid_identity_token', check.reason);
  if (!isRecord(body)) return;
  const signed = formatIdentity(check.identity);
  if (body.identity === undefined) body.identity = signed;
  if (formatIdentity(parseCollectIdentity(body.identity)) !== signed)
    throw new ApiError(401, 'invalid_identity_token', 'identityToken is for another identity');
}
