import type { Hono } from 'hono';
import type { AfterCallEvent } from '../../shared/after-call';
import { parseAfterCallEvent } from '../../shared/after-call';
import { parseCollectBody } from '../collect-body';
import { ApiError, badRequest } from '../http-errors';
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
    // With sinks, the event must be one they can map; without, any object with an id is kept.
    const event = deps.sinks.count > 0 ? parseAfterCallEvent(body) : null;
    if (event instanceof Error) throw badRequest(event.message);
    const { duplicate } = await deps.events.put({ ...body, id });
    if (event) await forwardOnce(deps, event);
    return c.json({ id, duplicate }, 202);
  });
}

/**
 * Forwards to the sinks that do not have the event yet. The answer is 202 only once every sink
 * took it; otherwise 502, so the extension's outbox keeps the event and retries, and the retry
 * (a duplicate here) goes only to the sinks still missing it.
 */
async function forwardOnce(deps: RouteDeps, event: AfterCallEvent): Promise<void> {
  const before = deps.forwarding.get(event.id);
  const run = (async () => {
    await before?.catch(() => {});
    const done = await deps.events.deliveredTo(event.id);
    const { delivered, failures } = await deps.sinks.forward(event, done);
    await deps.events.markDelivered(event.id, delivered);
    return failures;
  })();
  deps.forwarding.set(event.id, run);
  try {
    const failures = await run;
    if (failures.length > 0) {
      for (const f of failures) deps.logger.error(`sink ${f.sink}: ${f.message}`);
      throw new ApiError(
        502,
        'sink_failed',
        `not yet delivered to ${failures.map((f) => f.sink).join(', ')}; send it again later`,
      );
    }
  } finally {
    if (deps.forwarding.get(event.id) === run) deps.forwarding.delete(event.id);
  }
}
