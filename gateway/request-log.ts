import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

export interface Logger {
  info(line: string): void;
  error(line: string, error?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (line) => console.log(line),
  error: (line, error) => console.error(line, error ?? ''),
};

export const silentLogger: Logger = { info() {}, error() {} };

/**
 * One line per request: method, route, status, duration. The route is the registered pattern,
 * never the raw path, and the query string is left out: both can carry identities.
 */
export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = routePath(c, -1);
    const preflight = c.req.method === 'OPTIONS';
    const shown = !route.includes('*') ? route : preflight ? '(preflight)' : '(no route)';
    const ms = Math.round(performance.now() - started);
    logger.info(`${c.req.method} ${shown} ${c.res.status} ${ms}ms`);
  };
}
