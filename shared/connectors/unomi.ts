import type { ActivityEvent, ConsentState, ContactEvent, Identity, Match, Profile } from '../model';
import { phoneLookupVariants } from '../phone-variants';
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
import { at, basicAuth, isObject, isoTime, requestJson, str } from './http';
import { loggedCallContact } from './logged-call';

/**
 * Apache Unomi: profile search by a phone (or email) property (`POST /cxs/profiles/search`), the
 * profile's events newest first (`POST /cxs/events/search` with a `profileId` condition, the
 * manual's "How to search for profile events" recipe; Unomi has no per-profile events resource),
 * and its consents. Private API with basic auth (`tenantId:privateKey` from 3.1, `karaf:…` before).
 * https://unomi.apache.org/manual/latest/ (apache/unomi: manual/src/main/asciidoc/recipes.adoc,
 * rest/.../EventServiceEndpoint.java)
 */
const PLATFORM = 'Apache Unomi';
const MAX_MATCHES = 5;
const DEFAULT_EVENT_LIMIT = 50;
const CONTACT_LIMIT = 10;
/** The event type our Unomi sink writes for a logged call (gateway/sinks/unomi.ts). */
const DEFAULT_CALL_EVENT_TYPE = 'callLogged';

export const unomiConnectorType: ConnectorType = {
  platform: PLATFORM,
  keys: [
    'baseUrl',
    'user',
    'passwordEnv',
    'phoneProperty',
    'emailProperty',
    'eventLimit',
    'callEventType',
  ],
  check(config) {
    return [
      ...configChecks.requiredUrl(config, 'baseUrl', "the Unomi server's address"),
      ...configChecks.requiredString(
        config,
        'user',
        'the tenant id (or karaf user) for basic auth',
      ),
      ...configChecks.requiredSecret(config, 'password', 'UNOMI_PRIVATE_KEY'),
      ...configChecks.optionalString(
        config,
        'phoneProperty',
        'a property such as properties.phoneNumber',
      ),
      ...configChecks.optionalString(
        config,
        'emailProperty',
        'a property such as properties.email',
      ),
      ...configChecks.optionalInteger(config, 'eventLimit', 1, 500),
      ...configChecks.optionalString(config, 'callEventType', 'an event type such as callLogged'),
    ];
  },
  create(config, deps) {
    return createUnomiConnector(config, deps);
  },
};

const CONSENT: Record<string, ConsentState> = {
  GRANTED: 'granted',
  DENIED: 'denied',
  REVOKED: 'denied',
};

/** Unomi's built-in event types and the model's activity types. */
const EVENT_TYPES: Record<string, string> = {
  view: 'page_view',
  productView: 'product_view',
  addToCart: 'cart_add',
  checkout: 'checkout',
  purchase: 'purchase',
  search: 'search',
};

export function createUnomiConnector(config: ConnectorConfig, deps: ConnectorDeps): Connector {
  const baseUrl = baseUrlOf(config, 'http://localhost:8181');
  const eventLimit = numberOf(config, 'eventLimit', DEFAULT_EVENT_LIMIT);
  const callType = stringOf(config, 'callEventType', DEFAULT_CALL_EVENT_TYPE);
  const auth = () =>
    basicAuth(stringOf(config, 'user', ''), requireSecret(deps, config, 'password'));

  const condition = (identity: Identity) => {
    if (identity.namespace === 'phone')
      return {
        type: 'profilePropertyCondition',
        parameterValues: {
          propertyName: stringOf(config, 'phoneProperty', 'properties.phoneNumber'),
          comparisonOperator: 'in',
          // Unomi matches exactly, and people store numbers however their forms took them.
          propertyValues: phoneLookupVariants(identity.value),
        },
      };
    const propertyName =
      identity.namespace === 'email'
        ? stringOf(config, 'emailProperty', 'properties.email')
        : `properties.${identity.namespace}`;
    return {
      type: 'profilePropertyCondition',
      parameterValues: {
        propertyName,
        comparisonOperator: 'equals',
        propertyValue: identity.value,
      },
    };
  };

  const search = async (path: string, query: unknown, signal: AbortSignal) => {
    const { body } = await requestJson(deps.fetch, {
      platform: PLATFORM,
      url: `${baseUrl}${path}`,
      method: 'POST',
      headers: { authorization: auth(), 'content-type': 'application/json' },
      body: JSON.stringify(query),
      signal,
    });
    const list = at(body, 'list');
    return (Array.isArray(list) ? list : []).filter(isObject);
  };

  const ofProfile = (profileId: string) => ({
    type: 'eventPropertyCondition',
    parameterValues: {
      propertyName: 'profileId',
      comparisonOperator: 'equals',
      propertyValue: profileId,
    },
  });

  return {
    id: config.id,
    async lookup(identity, signal) {
      const profiles = await search(
        '/cxs/profiles/search',
        { offset: 0, limit: MAX_MATCHES, condition: condition(identity) },
        signal,
      );
      return Promise.all(
        profiles.map(async (raw): Promise<Match> => {
          const profile = toProfile(config.id, raw);
          const [events, calls] = await Promise.all([
            search(
              '/cxs/events/search',
              {
                offset: 0,
                limit: eventLimit,
                sortby: 'timeStamp:desc',
                condition: ofProfile(profile.id),
              },
              signal,
            ),
            search(
              '/cxs/events/search',
              {
                offset: 0,
                limit: CONTACT_LIMIT,
                sortby: 'timeStamp:desc',
                condition: {
                  type: 'booleanCondition',
                  parameterValues: {
                    operator: 'and',
                    subConditions: [
                      ofProfile(profile.id),
                      { type: 'eventTypeCondition', parameterValues: { eventTypeId: callType } },
                    ],
                  },
                },
              },
              signal,
            ),
          ]);
          const activity = events
            .filter((event) => event.eventType !== callType)
            .map((event) => toActivity(config.id, event))
            .filter((event): event is ActivityEvent => event !== undefined)
            .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
          const contacts = calls
            .map((event) => toContact(config.id, event))
            .filter((contact): contact is ContactEvent => contact !== undefined);
          return { profile, activity, cases: [], ...(contacts.length > 0 ? { contacts } : {}) };
        }),
      );
    },
  };
}

function toProfile(source: string, raw: Record<string, unknown>): Profile {
  const properties = isObject(raw.properties) ? raw.properties : {};
  const profile: Profile = { id: str(raw.itemId) ?? 'unknown', source, attributes: {} };
  const firstName = str(properties.firstName);
  const lastName = str(properties.lastName);
  if (firstName) profile.firstName = firstName;
  if (lastName) profile.lastName = lastName;
  const email = str(properties.email);
  if (email) profile.emails = [email.toLowerCase()];
  const phones = [properties.phoneNumber, properties.mobileNumber]
    .map(str)
    .filter((p): p is string => p !== undefined);
  if (phones.length > 0) profile.phones = phones;
  const skip = new Set(['firstName', 'lastName', 'email', 'phoneNumber', 'mobileNumber']);
  for (const [key, value] of Object.entries(properties)) {
    if (skip.has(key)) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      profile.attributes[key] = value;
  }
  if (isObject(raw.consents)) {
    const consent: Record<string, ConsentState> = {};
    for (const entry of Object.values(raw.consents)) {
      const type = str(at(entry, 'typeIdentifier'));
      const status = str(at(entry, 'status'));
      if (type) consent[type] = (status ? CONSENT[status] : undefined) ?? 'unknown';
    }
    if (Object.keys(consent).length > 0) profile.consent = consent;
  }
  const updatedAt = isoTime(at(raw, 'systemProperties.lastUpdated'));
  if (updatedAt) profile.updatedAt = updatedAt;
  return profile;
}

function toActivity(source: string, raw: unknown): ActivityEvent | undefined {
  if (!isObject(raw)) return undefined;
  const id = str(raw.itemId);
  const when = isoTime(raw.timeStamp);
  const eventType = str(raw.eventType);
  if (!id || !when || !eventType) return undefined;
  const event: ActivityEvent = { id, at: when, type: EVENT_TYPES[eventType] ?? eventType, source };
  const title =
    str(at(raw, 'target.properties.pageInfo.pageName')) ?? str(at(raw, 'target.itemId'));
  if (title) event.title = title;
  const url = str(at(raw, 'target.properties.pageInfo.destinationURL'));
  if (url) event.url = url;
  return event;
}

/** A call our Unomi sink logged: its `itemId` is our event id, its details in `properties`. */
function toContact(source: string, raw: Record<string, unknown>): ContactEvent | undefined {
  const id = str(raw.itemId);
  const when = isoTime(raw.timeStamp);
  if (!id || !when) return undefined;
  return loggedCallContact({ id, at: when, source }, raw.properties, 'disposition');
}
