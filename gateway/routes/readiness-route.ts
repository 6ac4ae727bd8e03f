import type { Hono } from 'hono';
import { DELIVERY_QUEUE } from '../event-store';
import type { RouteDeps } from './route-deps';

/**
 * `GET /readyz`: what this replica can do right now. Always 200 while it can answer lookups
 * (they need no store); `status` is `degraded` and `degraded` says what does not work when the
 * store is unreachable or slow. Load balancers should probe `/healthz`, monitoring `/readyz`:
 * taking every replica out because their shared Redis is down would stop lookups too.
 */
export function registerReadinessRoute(app: Hono, deps: RouteDeps): void {
  app.get('/readyz', async (c) => {
    const store = await deps.store.check();
    const degraded: string[] = [];
    let deliveries: { queued: number; dead: number } | undefined;
    if (store.ok) {
      try {
        deliveries = await deps.store.queue(DELIVERY_QUEUE).counts();
      } catch {
        // The store went away between the two questions: reported below as for the check.
      }
    }
    if (!store.ok || !deliveries) {
      degraded.push(
        'store: POST /v1/collect and POST /v1/events answer 503 (clients retry), live streams fall back to polling, after-call deliveries wait',
      );
    }
    c.header('Cache-Control', 'no-store');
    return c.json({
      status: degraded.length === 0 ? 'ok' : 'degraded',
      degraded,
      store,
      ...(deliveries ? { deliveries } : {}),
    });
  });
}
