import { createHmac, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { formatIdentity } from '../shared/identity';
import type { Identity } from '../shared/model';
import { principalOf } from './auth';

/** Values of one structured log line; never identities, tokens or customer data. */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  error(message: string, error?: unknown, fields?: LogFields): void;
}

/**
 * One JSON object a line on stdout (info) and stderr (errors), for log collectors. Info lines
 * of one tick leave in one write (a busy gateway logs thousands a second); errors at once.
 */
export const consoleLogger: Logger = {
  info: (message, fields) => stdoutLines.push(jsonLine('info', message, fields)),
  error: (message, error, fields) =>
    console.error(jsonLine('error', message, { ...fields, ...errorFields(error) })),
};

const stdoutLines = (() => {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('\n');
    pending = [];
    console.log(text);
  };
  // Whatever is pending when the process ends is written then (stdout to a pipe or file is
  // synchronous on Linux, https://nodejs.org/api/process.html#a-note-on-process-io).
  process.once('exit', flush);
  return {
    push(line: string) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(line);
    },
  };
})();

export const silentLogger: Logger = { info() {}, error() {} };

function jsonLine(level: string, msg: string, fields: LogFields = {}): string {
  return JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
}

function errorFields(error: unknown): LogFields {
  if (error === undefined) return {};
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error) };
}

/**
 * A keyed hash of an identity (HMAC-SHA256, 16 hex digits): lines about one caller can be found
 * together, yet the log never holds a phone number or an email address. With the same key
 * (`log.identityHashKeyEnv`) every replica and restart hashes a caller alike.
 */
export type IdentityHasher = (identity: Identity) => string;

export function identityHasher(key: string | undefined): IdentityHasher {
  const secret = key && key.length > 0 ? key : randomBytes(32).toString('hex');
  return (identity) =>
    createHmac('sha256', secret).update(formatIdentity(identity)).digest('hex').slice(0, 16);
}

/** By the request's context: middleware (bodyLimit) may replace `c.req.raw` on the way. */
const notes = new WeakMap<Context, { identity?: Identity; fields: LogFields }>();

/** Names the identity a request is about, for its log line (hashed there, never written). */
export function noteIdentity(c: Context, identity: Identity): void {
  const note = notes.get(c) ?? { fields: {} };
  note.identity = identity;
  notes.set(c, note);
}

/** Adds fields to the request's log line (an event id, a count). */
export function noteFields(c: Context, fields: LogFields): void {
  const note = notes.get(c) ?? { fields: {} };
  Object.assign(note.fields, fields);
  notes.set(c, note);
}

/**
 * One line per request: method, route, status, duration, the principal (OIDC `sub` or a static
 * token's name) and the keyed hash of the identity. The route is the registered pattern, never
 * the raw path, and the query string is left out: both can carry identities.
 */
export function requestLog(logger: Logger, hashIdentity: IdentityHasher): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = routePath(c, -1);
    const preflight = c.req.method === 'OPTIONS';
    const shown = !route.includes('*') ? route : preflight ? '(preflight)' : '(no route)';
    const note = notes.get(c);
    logger.info('request', {
      method: c.req.method,
      route: shown,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      principal: principalOf(c)?.id,
      identity: note?.identity ? hashIdentity(note.identity) : undefined,
      ...note?.fields,
    });
  };
}
