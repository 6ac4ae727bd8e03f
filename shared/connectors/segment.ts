import type { ActivityEvent, ContactEvent, Identity, Match, Profile } from '../model';
import {
  baseUrlOf,
  type Connector,
  type ConnectorConfig,
  type ConnectorDeps,
  type ConnectorType,
  configChecks,
  numberOf,
  requireSecret,
  stringOf,
} from './connector';
import { at, basicAuth, isObject, isoTime, num, requestJson, str } from './http';
import { loggedCallContact } from './logged-call';

/**
 * Segment Profile API: a profile's traits and its events (the API keeps 14 days) by external id.
 * Basic auth with the access token as user name. https://segment.com/docs/unify/profile-api/
 */
const PLATFORM = 'Segment';
const DEFAULT_BASE_URL = 'https://profiles.segment.com';
/** The Profile API keeps 14 days of events; asking for more returns nothing older anyway. */
const EVENT_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const DEFAULT_EVENT_LIMIT = 50;
const MAX_EVENT_PAGES = 5;
/** The track event our Segment sink sends for a logged call (gateway/sinks/segment.ts). */
const DEFAULT_CALL_EVENT = 'Call Logged';
const CONTACT_LIMIT = 10;

export const segmentConnectorType: ConnectorType = {
  platform: PLATFORM,
  keys: [
    'baseUrl',
    'spaceId',
    'accessTokenEnv',
    'phoneIdType',
    'emailIdType',
    'eventLimit',
    'callEventName',
  ],
  check(config) {
    return [
      ...configChecks.optionalUrl(config, 'baseUrl'),
      ...configChecks.requiredString(config, 'spaceId', 'the Unify space id'),
      ...configChecks.requiredSecret(config, 'accessToken', 'SEGMENT_ACCESS_TOKEN'),
      ...configChecks.optionalString(config, 'phoneIdType', 'an external id type such as phone'),
      ...configChecks.optionalString(config, 'emailIdType', 'an external id type such as email'),
      ...configChecks.optionalInteger(config, 'eventLimit', 1, 100),
      ...configChecks.optionalString(config, 'callEventName', 'a track event name'),
    ];
  },
  create(config, deps) {
    return createSegmentConnector(config, deps);
  },
};

/** Maps Segment's spec event names (Ecommerce v2, Page) to the model's activity types. */
const EVENT_NAMES: Record<string, string> = {
  'Page Viewed': 'page_view',
  'Product Viewed': 'product_view',
  'Product Added': 'cart_add',
  'Product Removed': 'cart_remove',
  'Checkout Started': 'checkout',
  'Order Completed': 'purchase',
  'Products Searched': 'search',
};

export function createSegmentConnector(config: ConnectorConfig, deps: ConnectorDeps): Connector {
  const baseUrl = baseUrlOf(config, DEFAULT_BASE_URL);
  const space = encodeURIComponent(stringOf(config, 'spaceId', ''));
  const eventLimit = numberOf(config, 'eventLimit', DEFAULT_EVENT_LIMIT);
  const callEvent = stringOf(config, 'callEventName', DEFAULT_CALL_EVENT);

  const externalId = (identity: Identity): string => {
    const type =
      identity.namespace === 'phone'
        ? stringOf(config, 'phoneIdType', 'phone')
        : identity.namespace === 'email'
          ? stringOf(config, 'emailIdType', 'email')
          : identity.namespace;
    // The id goes in the path: `+` must be %2B and every other reserved character escaped, or
    // the API answers 404 or 500 (documented under "Find a user's external id").
    return `${encodeURIComponent(type)}:${encodeURIComponent(identity.value)}`;
  };

  const get = (url: string, signal: AbortSignal) =>
    requestJson(deps.fetch, {
      platform: PLATFORM,
      url,
      headers: { authorization: basicAuth(requireSecret(deps, config, 'accessToken'), '') },
      signal,
      accept: [404],
    });

  return {
    id: config.id,
    async lookup(identity, signal) {
      const profileUrl = `${baseUrl}/v1/spaces/${space}/collections/users/profiles/${externalId(identity)}`;
      const traits = await get(`${profileUrl}/traits?limit=200`, signal);
      if (traits.status === 404) return [];
      const start = new Date(deps.now().getTime() - EVENT_WINDOW_MS).toISOString();
      // The calls our sink logged, by the documented `include` filter; web activity leaves
      // them out with `exclude`.
      const callsUrl = new URL(`${profileUrl}/events`);
      callsUrl.searchParams.set('include', callEvent);
      callsUrl.searchParams.set('limit', String(CONTACT_LIMIT));
      callsUrl.searchParams.set('start', start);
      const calls = get(callsUrl.href, signal);
      const events = new URL(`${profileUrl}/events`);
      events.searchParams.set('exclude', callEvent);
      events.searchParams.set('limit', String(Math.min(eventLimit, 100)));
      events.searchParams.set('start', start);
      const activity: ActivityEvent[] = [];
      let segmentUserId: string | undefined;
      let cursor: string | undefined;
      for (let page = 0; page < MAX_EVENT_PAGES && activity.length < eventLimit; page++) {
        if (cursor) events.searchParams.set('next', cursor);
        const answer = await get(events.href, signal);
        if (answer.status === 404) break;
        const data = at(answer.body, 'data');
        for (const item of Array.isArray(data) ? data : []) {
          segmentUserId ??= str(at(item, 'related.users'));
          const event = toActivity(config.id, item);
          if (event) activity.push(event);
        }
        cursor =
          at(answer.body, 'cursor.has_more') === true
            ? str(at(answer.body, 'cursor.next'))
            : undefined;
        if (!cursor) break;
      }
      activity.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
      const callAnswer = await calls;
      const callData = callAnswer.status === 404 ? [] : at(callAnswer.body, 'data');
      const contacts = (Array.isArray(callData) ? callData : [])
        .map((item) => toContact(config.id, item, callEvent))
        .filter((contact): contact is ContactEvent => contact !== undefined);
      const profile = toProfile(config.id, identity, at(traits.body, 'traits'), segmentUserId);
      return [
        {
          profile,
          activity: activity.slice(0, eventLimit),
          cases: [],
          ...(contacts.length > 0 ? { contacts } : {}),
        } satisfies Match,
      ];
    },
  };
}

const NAME_TRAITS = new Set(['first_name', 'firstName', 'last_name', 'lastName', 'name']);

function toProfile(
  source: string,
  identity: Identity,
  traits: unknown,
  segmentUserId: string | undefined,
): Profile {
  const record = isObject(traits) ? traits : {};
  const profile: Profile = {
    // Segment's canonical user (`use_…`) when an event names it, else the external id asked for.
    id: segmentUserId ?? `${identity.namespace}:${identity.value}`,
    source,
    attributes: {},
  };
  const firstName = str(record.first_name) ?? str(record.firstName);
  const lastName = str(record.last_name) ?? str(record.lastName);
  const name = str(record.name);
  if (firstName) profile.firstName = firstName;
  if (lastName) profile.lastName = lastName;
  if (name) profile.displayName = name;
  const email = str(record.email);
  const phone = str(record.phone);
  const emails = new Set([email, identity.namespace === 'email' ? identity.value : undefined]);
  const phones = new Set([phone, identity.namespace === 'phone' ? identity.value : undefined]);
  emails.delete(undefined);
  phones.delete(undefined);
  if (emails.size > 0) profile.emails = [...emails] as string[];
  if (phones.size > 0) profile.phones = [...phones] as string[];
  for (const [key, value] of Object.entries(record)) {
    if (NAME_TRAITS.has(key) || key === 'email' || key === 'phone') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      profile.attributes[key] = value;
  }
  return profile;
}

function toActivity(source: string, item: unknown): ActivityEvent | undefined {
  if (!isObject(item)) return undefined;
  const id = str(item.message_id);
  const when = isoTime(item.timestamp);
  if (!id || !when) return undefined;
  const name = str(item.event);
  const type =
    item.type === 'page' ? 'page_view' : ((name && EVENT_NAMES[name]) ?? name ?? String(item.type));
  const event: ActivityEvent = { id, at: when, type, source };
  const title =
    str(at(item, 'properties.title')) ??
    str(at(item, 'properties.name')) ??
    str(at(item, 'context.page.title'));
  if (title) event.title = title;
  const url = str(at(item, 'properties.url')) ?? str(at(item, 'context.page.url'));
  if (url) event.url = url;
  const value =
    num(at(item, 'properties.revenue')) ??
    num(at(item, 'properties.total')) ??
    num(at(item, 'properties.price'));
  if (value !== undefined) event.value = value;
  const currency = str(at(item, 'properties.currency'));
  if (currency) event.currency = currency;
  return event;
}

/** A call our Segment sink tracked: `message_id` is our event id, its details in `properties`. */
function toContact(source: string, item: unknown, callEvent: string): ContactEvent | undefined {
  if (!isObject(item) || item.type !== 'track' || str(item.event) !== callEvent) return undefined;
  const id = str(item.message_id);
  const when = isoTime(item.timestamp);
  if (!id || !when) return undefined;
  return loggedCallContact({ id, at: when, source }, item.properties, 'disposition');
}
