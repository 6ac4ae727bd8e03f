import type { Context } from 'hono';
import { parseIdentity } from '../shared/identity';
import type { Identity } from '../shared/model';
import { ApiError, badRequest } from './http-errors';
import { noteIdentity } from './request-log';

/** JSON nested deeper than this is refused: no request of ours comes close (a collect batch is 3). */
export const MAX_JSON_DEPTH = 32;

/** The `identity` query parameter, parsed as everywhere else (docs/architecture.md, "Identity"). */
export function identityParam(c: Context): Identity {
  const text = c.req.query('identity');
  if (text === undefined || text.trim() === '') throw badRequest('identity is required');
  // An unencoded `+` in a query string reads as a space (`?identity=phone:+44...` from curl or
  // a hand-built URL); a phone number never starts with a space, so take it back as the `+`.
  const parsed = parseCached(text.trim().replace(/^phone: (?=\d)/i, 'phone:+'));
  if (!parsed.ok) throw badRequest(parsed.error);
  // A copy: the cached parse is shared by every request for this identity.
  const identity = { ...parsed.value };
  noteIdentity(c, identity);
  return identity;
}

/**
 * Identities parsed lately: a phone number's parse (libphonenumber) was a tenth of a lookup's
 * cost, and the same callers are asked for again and again (the screen pop, its polls, a
 * stream). Bounded; the oldest parse goes first.
 */
const parsedIdentities = new Map<string, ReturnType<typeof parseIdentity>>();
const MAX_PARSED = 2000;

function parseCached(text: string): ReturnType<typeof parseIdentity> {
  const known = parsedIdentities.get(text);
  if (known) return known;
  const parsed = parseIdentity(text);
  if (parsedIdentities.size >= MAX_PARSED) {
    const oldest = parsedIdentities.keys().next().value;
    if (oldest !== undefined) parsedIdentities.delete(oldest);
  }
  parsedIdentities.set(text, parsed);
  return parsed;
}

/** The optional `since` query parameter: an ISO 8601 date-time. */
export function sinceParam(c: Context): Date | undefined {
  const text = c.req.query('since');
  if (text === undefined) return undefined;
  const since = parseIsoDate(text);
  if (!since) throw badRequest('since must be an ISO 8601 date-time, like 2026-11-21T09:30:00Z');
  return since;
}

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Only full date-times with a zone: `Date.parse` alone would take "5" or a local time. */
export function parseIsoDate(text: string): Date | undefined {
  if (!ISO_DATE_TIME.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** The body as JSON, whatever content type the client declared (webhooks vary). */
export async function jsonBody(c: Context): Promise<unknown> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw badRequest('the request body could not be read');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  if (depthOf(json, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new ApiError(400, 'too_deep', `the JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
  return json;
}

/**
 * How deep arrays and objects nest, counted without recursion (a 9,000-deep body would overflow
 * the stack of anything recursive that reads it later), stopping once past `limit`.
 */
export function depthOf(json: unknown, limit: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[json, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop() as [unknown, number];
    if (typeof value !== 'object' || value === null) continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (deepest > limit) return deepest;
    for (const child of Object.values(value)) pending.push([child, level]);
  }
  return deepest;
}
