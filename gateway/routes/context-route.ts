import type { Hono } from 'hono';
import { resolveActivity } from '../activity';
import { principalOf } from '../auth';
import { resolveContext } from '../context';
import { identityParam, sinceParam } from '../request-input';
import type { RouteDeps } from './route-deps';

export function registerContextRoutes(app: Hono, deps: RouteDeps): void {
  app.get('/v1/context', async (c) => {
    // Per principal, so a leaked token cannot walk the customer base.
    const principal = principalOf(c)?.id ?? 'anonymous';
    await deps.limiter.take('context', principal, deps.rateLimits.contextPerPrincipal);
    const identity = identityParam(c);
    // A caller the IVR looked up moments ago: the screen pop answers without asking the sources.
    const context =
      (await deps.warmContext?.(identity)) ??
      (await resolveContext(deps.sources, identity, deps.sourceTimeoutMs, c.req.raw.signal));
    logSourceErrors(deps, context.errors);
    return c.json(context);
  });

  app.get('/v1/activity', async (c) => {
    const identity = identityParam(c);
    const since = sinceParam(c) ?? new Date(0);
    const result = await resolveActivity(
      deps.sources,
      deps.live,
      identity,
      since,
      deps.sourceTimeoutMs,
      c.req.raw.signal,
    );
    logSourceErrors(deps, result.errors);
    return c.json(result);
  });
}

/** Names the source only: its message may quote the identity it was asked about. */
function logSourceErrors(deps: RouteDeps, errors: { source: string }[]): void {
  for (const error of errors) deps.logger.info('source failed', { source: error.source });
}
