import type { ActivityEvent, ConsentState, ContactEvent, Identity, Match, Profile } from '../model';
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
import { at, ConnectorError, isObject, isoTime, num, optionalRead, str } from './http';
import { loggedCallContact } from './logged-call';
import { clientCredentials, connectorTokens, requestJsonWithToken } from './oauth';

/**
 * Adobe Experience Platform, Real-Time Customer Profile access API: the profile for an identity,
 * then its ExperienceEvents of the last minutes, newest first.
 * https://experienceleague.adobe.com/docs/experience-platform/profile/api/entities.html
 */
const PLATFORM = 'Adobe Experience Platform';
const DEFAULT_BASE_URL = 'https://platform.adobe.io';
const DEFAULT_TOKEN_URL = 'https://ims-na1.adobelogin.com/ims/token/v3';
const DEFAULT_SCOPE = 'openid,AdobeID,read_organizations,additional_info.projectedProductContext';
const ACCESS_PATH = '/data/core/ups/access';
const DEFAULT_EVENT_MINUTES = 60 * 24;
const DEFAULT_EVENT_LIMIT = 50;
/** Pages of events followed at most; the sidebar shows a few dozen, not a history. */
const MAX_EVENT_PAGES = 5;
/** The XDM eventType our AEP sink gives a logged call (gateway/sinks/aep.ts). */
const CALL_EVENT_TYPE = 'callCenter.callLogged';
const DEFAULT_CONTACT_DAYS = 90;
const CONTACT_LIMIT = 10;

export const aepConnectorType: ConnectorType = {
  platform: PLATFORM,
  keys: [
    'baseUrl',
    'tokenUrl',
    'clientId',
    'clientSecretEnv',
    'apiKey',
    'orgId',
    'sandbox',
    'namespace',
    'emailNamespace',
    'scope',
    'eventMinutes',
    'eventLimit',
    'mergePolicyId',
    'contactDays',
  ],
  check(config) {
    return [
      ...configChecks.optionalUrl(config, 'baseUrl'),
      ...configChecks.optionalUrl(config, 'tokenUrl'),
      ...configChecks.requiredString(config, 'clientId', 'the OAuth Server-to-Server client id'),
      ...configChecks.requiredSecret(config, 'clientSecret', 'AEP_CLIENT_SECRET'),
      ...configChecks.optionalString(config, 'apiKey', 'the API key (defaults to clientId)'),
      ...configChecks.requiredString(config, 'orgId', 'the IMS organization id (…@AdobeOrg)'),
      ...configChecks.optionalString(config, 'sandbox', 'a sandbox name such as prod'),
      ...configChecks.requiredString(
        config,
        'namespace',
        'the identity namespace code of mobile numbers, e.g. Phone',
      ),
      ...configChecks.optionalString(config, 'emailNamespace', 'a namespace code such as Email'),
      ...configChecks.optionalString(config, 'scope', 'OAuth scopes, comma separated'),
      ...configChecks.optionalString(config, 'mergePolicyId', 'a merge policy id'),
      ...configChecks.optionalInteger(config, 'eventMinutes', 1, 60 * 24 * 30),
      ...configChecks.optionalInteger(config, 'eventLimit', 1, 1000),
      ...configChecks.optionalInteger(config, 'contactDays', 1, 3650),
    ];
  },
  create(config, deps) {
    return createAepConnector(config, deps);
  },
};

export function createAepConnector(config: ConnectorConfig, deps: ConnectorDeps): Connector {
  const baseUrl = baseUrlOf(config, DEFAULT_BASE_URL);
  const clientId = stringOf(config, 'clientId', '');
  const eventMinutes = numberOf(config, 'eventMinutes', DEFAULT_EVENT_MINUTES);
  const eventLimit = numberOf(config, 'eventLimit', DEFAULT_EVENT_LIMIT);
  const mergePolicyId = stringOf(config, 'mergePolicyId');
  const contactDays = numberOf(config, 'contactDays', DEFAULT_CONTACT_DAYS);
  const tokens = connectorTokens(deps, () =>
    clientCredentials({
      platform: PLATFORM,
      tokenUrl: stringOf(config, 'tokenUrl', DEFAULT_TOKEN_URL),
      clientId,
      clientSecret: requireSecret(deps, config, 'clientSecret'),
      scope: stringOf(config, 'scope', DEFAULT_SCOPE),
      fetch: deps.fetch,
      now: deps.now,
    }),
  );

  const get = (url: string, signal: AbortSignal) =>
    requestJsonWithToken(
      deps.fetch,
      tokens,
      {
        platform: PLATFORM,
        url,
        headers: {
          'x-api-key': stringOf(config, 'apiKey', clientId),
          'x-gw-ims-org-id': stringOf(config, 'orgId', ''),
          'x-sandbox-name': stringOf(config, 'sandbox', 'prod'),
        },
        signal,
        accept: [404],
      },
      (refusal) =>
        refusal.status === 422
          ? new ConnectorError(
              `${PLATFORM}: too many related identities for this caller (the identity graph links more than 50); narrow the namespace or clean up the graph`,
              422,
            )
          : refusal,
    );

  const namespaceFor = (identity: Identity): string => {
    if (identity.namespace === 'phone') return stringOf(config, 'namespace', 'Phone');
    if (identity.namespace === 'email') return stringOf(config, 'emailNamespace', 'Email');
    return identity.namespace;
  };

  return {
    id: config.id,
    async lookup(identity, signal) {
      const namespace = namespaceFor(identity);
      const profileUrl = new URL(`${baseUrl}${ACCESS_PATH}/entities`);
      profileUrl.searchParams.set('schema.name', '_xdm.context.profile');
      profileUrl.searchParams.set('entityId', identity.value);
      profileUrl.searchParams.set('entityIdNS', namespace);
      if (mergePolicyId) profileUrl.searchParams.set('mergePolicyId', mergePolicyId);
      const { status, body } = await get(profileUrl.href, signal);
      if (status === 404 || !isObject(body)) return [];
      const profiles = Object.values(body)
        .filter(isObject)
        .filter((entry) => isObject(entry.entity) && Object.keys(entry.entity).length > 0)
        .map((entry) => toProfile(config.id, entry));
      if (profiles.length === 0) return [];

      const end = deps.now().getTime();
      const eventsOf = (startTime: number, limit: number) => {
        const url = new URL(`${baseUrl}${ACCESS_PATH}/entities`);
        url.searchParams.set('schema.name', '_xdm.context.experienceevent');
        url.searchParams.set('relatedSchema.name', '_xdm.context.profile');
        url.searchParams.set('relatedEntityId', identity.value);
        url.searchParams.set('relatedEntityIdNS', namespace);
        url.searchParams.set('orderby', '-timestamp');
        url.searchParams.set('startTime', String(startTime));
        url.searchParams.set('endTime', String(end));
        url.searchParams.set('limit', String(limit));
        if (mergePolicyId) url.searchParams.set('mergePolicyId', mergePolicyId);
        return url;
      };
      // The calls our sink logged, over a longer window: the appendix's `property` filter on
      // eventType keeps the web events out of this one.
      const callsUrl = eventsOf(end - contactDays * 86_400_000, CONTACT_LIMIT);
      callsUrl.searchParams.set('property', `eventType=${CALL_EVENT_TYPE}`);
      const calls = optionalRead(get(callsUrl.href, signal), { status: 404, body: undefined });
      const activity: ActivityEvent[] = [];
      let next: string | undefined = eventsOf(end - eventMinutes * 60_000, eventLimit).href;
      for (let page = 0; next && page < MAX_EVENT_PAGES && activity.length < eventLimit; page++) {
        const answer = await get(next, signal);
        if (answer.status === 404) break;
        const children = at(answer.body, 'children');
        if (Array.isArray(children))
          for (const child of children) {
            const event = toActivity(config.id, child);
            if (event && event.type !== CALL_EVENT_TYPE) activity.push(event);
          }
        next = nextPage(baseUrl, str(at(answer.body, '_links.next.href')));
      }
      activity.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
      const callAnswer = await calls;
      const callChildren = callAnswer.status === 404 ? [] : at(callAnswer.body, 'children');
      const contacts = (Array.isArray(callChildren) ? callChildren : [])
        .map((child) => toContact(config.id, child))
        .filter((contact): contact is ContactEvent => contact !== undefined);
      // One caller's identity graph: the events belong to the merged profile the lookup found.
      return profiles.map(
        (profile, i): Match => ({
          profile,
          activity: i === 0 ? activity.slice(0, eventLimit) : [],
          cases: [],
          ...(i === 0 && contacts.length > 0 ? { contacts } : {}),
        }),
      );
    },
  };
}

/** `_links.next.href` is relative to the access API (`/entities?start=...`); empty means done. */
function nextPage(baseUrl: string, href: string | undefined): string | undefined {
  if (!href) return undefined;
  if (/^https?:\/\//.test(href)) return href;
  return `${baseUrl}${ACCESS_PATH}${href.startsWith('/') ? '' : '/'}${href}`;
}

function toProfile(source: string, entry: Record<string, unknown>): Profile {
  const entity = entry.entity as Record<string, unknown>;
  const identities = Array.isArray(entity.identities) ? entity.identities.filter(isObject) : [];
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const path of ['personalEmail.address', 'workEmail.address']) {
    const email = str(at(entity, path));
    if (email) emails.add(email.toLowerCase());
  }
  for (const path of ['mobilePhone.number', 'homePhone.number', 'workPhone.number']) {
    const phone = str(at(entity, path));
    if (phone) phones.add(phone);
  }
  for (const identity of identities) {
    const code = str(at(identity, 'namespace.code'))?.toLowerCase() ?? '';
    const id = str(identity.id);
    if (!id) continue;
    if (code === 'email') emails.add(id.toLowerCase());
    if (code === 'phone' || code.includes('mobile')) phones.add(id);
  }
  const attributes: Profile['attributes'] = {};
  const ecid = identities.find((i) => str(at(i, 'namespace.code'))?.toLowerCase() === 'ecid');
  if (ecid && str(ecid.id)) attributes.ecid = String(ecid.id);
  for (const [path, name] of [
    ['homeAddress.city', 'city'],
    ['homeAddress.country', 'country'],
    ['loyalty.tier', 'loyaltyTier'],
    ['loyalty.points', 'loyaltyPoints'],
  ] as const) {
    const value = at(entity, path);
    if (typeof value === 'string' || typeof value === 'number') attributes[name] = value;
  }
  const profile: Profile = {
    id: str(entry.entityId) ?? 'unknown',
    source,
    attributes,
  };
  const firstName = str(at(entity, 'person.name.firstName'));
  const lastName = str(at(entity, 'person.name.lastName'));
  const fullName = str(at(entity, 'person.name.fullName'));
  if (firstName) profile.firstName = firstName;
  if (lastName) profile.lastName = lastName;
  if (fullName) profile.displayName = fullName;
  if (emails.size > 0) profile.emails = [...emails];
  if (phones.size > 0) profile.phones = [...phones];
  const consent = toConsent(entity.consents);
  if (consent) profile.consent = consent;
  const updatedAt = isoTime(entry.lastModifiedAt);
  if (updatedAt) profile.updatedAt = updatedAt;
  return profile;
}

/** XDM Consents & Preferences: `consents.<purpose>.val` is y / n / … (dy, p, u). */
function toConsent(value: unknown): Profile['consent'] | undefined {
  if (!isObject(value)) return undefined;
  const consent: Record<string, ConsentState> = {};
  for (const [purpose, entry] of Object.entries(value)) {
    const val = str(at(entry, 'val'));
    if (!val) continue;
    consent[purpose] = val === 'y' ? 'granted' : val === 'n' ? 'denied' : 'unknown';
  }
  return Object.keys(consent).length > 0 ? consent : undefined;
}

/** XDM eventType values and the metric fields that say the same thing. */
const EVENT_TYPES: readonly [string, string, string][] = [
  ['commerce.purchases', 'commerce.purchases.value', 'purchase'],
  ['commerce.checkouts', 'commerce.checkouts.value', 'checkout'],
  ['commerce.productListAdds', 'commerce.productListAdds.value', 'cart_add'],
  ['commerce.productListRemovals', 'commerce.productListRemovals.value', 'cart_remove'],
  ['commerce.productViews', 'commerce.productViews.value', 'product_view'],
  ['web.webpagedetails.pageViews', 'web.webPageDetails.pageViews.value', 'page_view'],
  ['web.webinteraction.linkClicks', 'web.webInteraction.linkClicks.value', 'link_click'],
  ['siteSearch', 'search.keywords', 'search'],
];

function toActivity(source: string, child: unknown): ActivityEvent | undefined {
  if (!isObject(child) || !isObject(child.entity)) return undefined;
  const entity = child.entity;
  const at_ = isoTime(child.timestamp) ?? isoTime(entity.timestamp);
  const id = str(child.entityId) ?? str(entity._id);
  if (!at_ || !id) return undefined;
  const eventType = str(entity.eventType);
  const known = EVENT_TYPES.find(
    ([xdmType, metric]) => eventType === xdmType || at(entity, metric) !== undefined,
  );
  const type = known?.[2] ?? eventType ?? 'event';
  const event: ActivityEvent = { id, at: at_, type, source };
  const product = str(at(entity, 'productListItems.0.name'));
  const pageName = str(at(entity, 'web.webPageDetails.name'));
  const title =
    type === 'product_view' || type === 'cart_add' ? (product ?? pageName) : (pageName ?? product);
  if (title) event.title = title;
  const url = str(at(entity, 'web.webPageDetails.URL'));
  if (url) event.url = url;
  const value =
    num(at(entity, 'commerce.order.priceTotal')) ??
    num(at(entity, 'productListItems.0.priceTotal'));
  if (value !== undefined) event.value = value;
  const currency =
    str(at(entity, 'commerce.order.currencyCode')) ??
    str(at(entity, 'productListItems.0.currencyCode'));
  if (currency) event.currency = currency;
  return event;
}

/**
 * A call our AEP sink streamed: `_id` is our event id, its details in the tenant's
 * `_<tenant>.callCenter` field group (gateway/sinks/fixtures/xdm/call-details.schema.json).
 */
function toContact(source: string, child: unknown): ContactEvent | undefined {
  if (!isObject(child) || !isObject(child.entity)) return undefined;
  const entity = child.entity;
  const id = str(entity._id) ?? str(child.entityId);
  const when = isoTime(entity.timestamp) ?? isoTime(child.timestamp);
  if (!id || !when || str(entity.eventType) !== CALL_EVENT_TYPE) return undefined;
  const tenantGroup = Object.entries(entity).find(
    ([key, value]) => key.startsWith('_') && isObject(value) && isObject(value.callCenter),
  )?.[1];
  const call = isObject(tenantGroup) ? tenantGroup.callCenter : undefined;
  return loggedCallContact({ id, at: when, source }, call, 'dispositionCode');
}
