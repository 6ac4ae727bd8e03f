import { parseIdentity } from '../shared/identity';
import type { ActivityEvent, Identity } from '../shared/model';
import { badRequest } from './http-errors';
import { isRecord } from './json-shape';
import { parseIsoDate } from './request-input';

export interface CollectBatch {
  identity: Identity;
  events: ActivityEvent[];
}

export const MAX_COLLECT_EVENTS = 100;
const TYPE = /^[a-z][a-z0-9_]{0,39}$/;
const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_TITLE = 300;
const MAX_URL = 2048;
/** Clocks drift; an event much further ahead would sit on top of the feed for hours. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Checks a POST /v1/collect body and turns it into activity events, the server filling in what
 * a site left out. Unknown event fields are dropped, not stored: webhooks send extra fields.
 */
export function parseCollectBody(body: unknown, now: Date, newId: () => string): CollectBatch {
  if (!isRecord(body)) throw badRequest('the body must be { "identity": "...", "events": [...] }');
  const identity = parseCollectIdentity(body.identity);
  const { events } = body;
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_COLLECT_EVENTS)
    throw badRequest(`events must be a list of 1 to ${MAX_COLLECT_EVENTS} events`);
  return {
    identity,
    events: events.map((event: unknown, i) => parseEvent(event, `events[${i}]`, now, newId)),
  };
}

/** The `identity` of a collect body: a phone: or email: identity. */
export function parseCollectIdentity(value: unknown): Identity {
  if (typeof value !== 'string') throw badRequest('identity is required');
  const parsed = parseIdentity(value.trim());
  if (!parsed.ok) throw badRequest(`identity: ${parsed.error}`);
  if (parsed.value.namespace !== 'email' && parsed.value.namespace !== 'phone')
    throw badRequest('identity must be an email: or phone: identity');
  return parsed.value;
}

function parseEvent(event: unknown, at: string, now: Date, newId: () => string): ActivityEvent {
  if (!isRecord(event)) throw badRequest(`${at}: must be an object with a "type"`);
  const { type, title, url, value, currency, id } = event;
  if (typeof type !== 'string' || !TYPE.test(type))
    throw badRequest(`${at}.type: must be a short slug like page_view or cart_add`);
  const parsed: ActivityEvent = {
    id: newId(),
    at: now.toISOString(),
    type,
    source: 'web',
  };
  if (id !== undefined) {
    if (typeof id !== 'string' || !CLIENT_ID.test(id))
      throw badRequest(`${at}.id: must be 1 to 128 printable characters without spaces`);
    parsed.id = id;
  }
  if (event.at !== undefined) parsed.at = parseTime(event.at, `${at}.at`, now);
  if (title !== undefined) {
    if (typeof title !== 'string' || title.length > MAX_TITLE)
      throw badRequest(`${at}.title: must be a string of at most ${MAX_TITLE} characters`);
    parsed.title = title;
  }
  if (url !== undefined) parsed.url = parseUrl(url, `${at}.url`);
  if (value !== undefined) {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw badRequest(`${at}.value: must be a number`);
    parsed.value = value;
  }
  if (currency !== undefined) {
    if (typeof currency !== 'string' || !CURRENCY.test(currency))
      throw badRequest(`${at}.currency: must be an ISO 4217 code like EUR`);
    parsed.currency = currency;
  }
  return parsed;
}

function parseTime(value: unknown, at: string, now: Date): string {
  const time = typeof value === 'string' ? parseIsoDate(value) : undefined;
  if (!time) throw badRequest(`${at}: must be an ISO 8601 date-time, like 2026-11-21T09:30:00Z`);
  if (time.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS)
    throw badRequest(`${at}: lies in the future`);
  return time.toISOString();
}

/** The sidebar turns urls into links, so only web links and site paths, never `javascript:`. */
function parseUrl(value: unknown, at: string): string {
  const message = `${at}: must be an http(s) URL or a path starting with / (at most ${MAX_URL} characters)`;
  if (typeof value !== 'string' || value.length > MAX_URL) throw badRequest(message);
  if (value.startsWith('/') && !value.startsWith('//')) return value;
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return value;
  } catch {
    // Not a URL: reported below.
  }
  throw badRequest(message);
}
