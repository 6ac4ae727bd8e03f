import type { Hono } from 'hono';
import { ApiError, badRequest } from '../http-errors';
import type { IvrGateway } from '../ivr/ivr-gateway';
import { isPresenceState, PRESENCE_STATES, PRESENCE_TTL_MS } from '../ivr/presence';
import { isRecord } from '../json-shape';
import { jsonBody } from '../request-input';

/**
 * `POST /v1/presence { "state": "available" | "busy" | "wrap_up" | "offline" }`: the signed-in
 * agent's state, as their extension reports it on every change and as a heartbeat. Silence for
 * 90 s counts as offline. The agent is who the token names: an `auth.agents` token, or an OIDC
 * sign-in (its `email`, or `sub`).
 */
export function registerPresenceRoute(app: Hono, ivr: IvrGateway): void {
  app.post('/v1/presence', async (c) => {
    const body = await jsonBody(c);
    if (!isRecord(body) || !isPresenceState(body.state))
      throw badRequest(
        `the body must be { "state": ${PRESENCE_STATES.map((s) => `"${s}"`).join(' | ')} }`,
      );
    const agent = await ivr.agentOf(c);
    if (!agent)
      throw new ApiError(
        403,
        'no_agent',
        'this token names no agent: give it an entry in auth.agents, or sign in with OIDC',
      );
    let record: Awaited<ReturnType<IvrGateway['reportPresence']>>;
    try {
      record = await ivr.reportPresence(agent, body.state);
    } catch {
      c.header('Retry-After', '5');
      throw new ApiError(503, 'store_unavailable', 'presence cannot be kept right now');
    }
    return c.json({
      state: record.state,
      at: record.at,
      agent: record.agent,
      expiresInSeconds: PRESENCE_TTL_MS / 1000,
    });
  });
}
