import type { ActivityEvent, ConsentState, Identity, Match, Profile } from '../model';
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

/**
 * Apache Unomi: profile search by a phone (or email) property, the profile's events, its consents.
 * Private API with basic auth (`tenantId:privateKey` from 3.1, `karaf:…` before).
 * https://unomi.apache.org/manual/latest/
 */
const PLATFORM = 'Apache Unomi';
const MAX_MATCHES = 5;
const DEFAULT_EVENT_LIMIT = 50;

export const unomiConnectorType: ConnectorType = {
  platform: PLATFORM,
  keys: ['baseUrl', 'user', 'passwordEnv', 'phoneProperty', 'emailProperty', 'eventLimit'],
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

  return {
    id: config.id,
    async lookup(identity, signal) {
      const { body } = await requestJson(deps.fetch, {
        platform: PLATFORM,
        url: `${baseUrl}/cxs/profiles/search`,
        method: 'POST',
        headers: { authorization: auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ offset: 0, limit: MAX_MATCHES, condition: condition(identity) }),
        signal,
      });
      const list = at(body, 'list');
      const profiles = (Array.isArray(list) ? list : []).filter(isObject);
      return Promise.all(
        profiles.map(async (raw): Promise<Match> => {
          const profile = toProfile(config.id, raw);
          const events = new URL(
            `${baseUrl}/cxs/profiles/${encodeURIComponent(profile.id)}/events`,
          );
          events.searchParams.set('offset', '0');
          events.searchParams.set('size', String(eventLimit));
          events.searchParams.set('sort', 'timeStamp:desc');
          const answer = await requestJson(deps.fetch, {
            platform: PLATFORM,
            url: events.href,
            headers: { authorization: auth() },
            signal,
            accept: [404],
          });
          const eventList = at(answer.body, 'list');
          const activity = (Array.isArray(eventList) ? eventList : [])
            .map((event) => toActivity(config.id, event))
            .filter((event): event is ActivityEvent => event !== undefined)
            .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
          return { profile, activity, cases: [] };
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
