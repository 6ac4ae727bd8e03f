import type { Hono } from 'hono';
import { parseCollectBody } from '../collect-body';
import { badRequest } from '../http-errors';
import { isRecord } from '../json-shape';
import { jsonBody } from '../request-input';
import type { RouteDeps } from './route-deps';

const MAX_EVENT_ID = 128;

export function registerWriteRoutes(app: Hono, deps: RouteDeps): void {
  app.post('/v1/collect', async (c) => {
    const batch = parseCollectBody(await jsonBody(c), deps.now(), () => crypto.randomUUID());
    await deps.live.append(batch.identity, batch.events);
    return c.json({ accepted: batch.events.length }, 202);
  });

  app.post('/v1/events', async (c) => {
    const body = await jsonBody(c);
    if (!isRecord(body)) throw badRequest('the body must be a JSON object with an "id"');
    const { id } = body;
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_EVENT_ID)
      throw badRequest(`id must be a string of 1 to ${MAX_EVENT_ID} characters`);
    const { duplicate } = await deps.events.put({ ...body, id });
    return c.json({ id, duplicate }, 202);
  });
}
