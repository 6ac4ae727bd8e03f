import type { Hono } from 'hono';
import { badRequest, errorBody } from '../http-errors';
import { flattenIvrAnswer } from '../ivr/flat';
import type { IvrGateway } from '../ivr/ivr-gateway';
import { aniIdentity, waitedSecondsParam } from '../ivr/ivr-lookup';

/**
 * `GET /v1/ivr/lookup?ani=N[&waitedSeconds=S][&format=flat]` (README, "IVR"), for IVR keys only.
 * Registered before the agents' authentication: an IVR key opens these routes and nothing else,
 * and agents' tokens do not open them.
 */
export function registerIvrRoutes(app: Hono, ivr: IvrGateway): void {
  app.use('/v1/ivr/*', ivr.auth);
  app.get('/v1/ivr/lookup', async (c) => {
    const identity = aniIdentity(c.req.query('ani'), ivr.defaultRegion);
    const waitedSeconds = waitedSecondsParam(c.req.query('waitedSeconds'));
    const format = c.req.query('format');
    if (format !== undefined && format !== 'flat' && format !== 'json')
      throw badRequest('format must be flat (string values only) or json');
    const answer = await ivr.lookup(identity, waitedSeconds);
    c.header('Cache-Control', 'no-store');
    return c.json(format === 'flat' ? flattenIvrAnswer(answer) : answer);
  });
  app.all('/v1/ivr/*', (c) => c.json(errorBody('not_found', 'no such IVR route'), 404));
}

/**
 * What the IVR adds to the agents' routes, after their authentication: the manager an agent
 * chose at wrap-up is recorded before `POST /v1/events` keeps the event.
 */
export function registerManagerChoice(app: Hono, ivr: IvrGateway): void {
  app.use('/v1/events', async (c, next) => {
    if (c.req.method !== 'POST') return next();
    return ivr.recordManagerChoice(c, next);
  });
}
