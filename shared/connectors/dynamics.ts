import type { Case, ContactChannel, ContactEvent, Identity, Match, Profile } from '../model';
import { phoneLookupVariants } from '../phone-variants';
import {
  baseUrlOf,
  type Connector,
  type ConnectorConfig,
  type ConnectorDeps,
  type ConnectorType,
  caseOf,
  configChecks,
  requireSecret,
  stringOf,
} from './connector';
import { ConnectorError, isObject, isoTime, num, optionalRead, str } from './http';
import { clientCredentials, connectorTokens, requestJsonWithToken } from './oauth';

/**
 * Dynamics 365 (Dataverse Web API): the contact by phone across its phone columns and the number
 * variants, the contact's latest case, its recent phone calls and other activities (emails,
 * conversations) where it is a party or the regarding record, and the record URLs for a screen
 * pop. Query options are percent-encoded with `+` as `%2B` and spaces as `%20`, as the Web API
 * requires of values in the URL.
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-data-web-api
 */
const PLATFORM = 'Dynamics 365';
const API_VERSION = 'v9.2';
const DEFAULT_PHONE_FIELDS = ['telephone1', 'mobilephone', 'telephone2'];
const MAX_MATCHES = 5;
const CONTACT_LIMIT = 10;
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const CONTACT_COLUMNS = [
  'contactid',
  'fullname',
  'firstname',
  'lastname',
  'emailaddress1',
  'telephone1',
  'mobilephone',
  'telephone2',
  'modifiedon',
  '_ownerid_value',
];

export const dynamicsConnectorType: ConnectorType = {
  platform: PLATFORM,
  keys: ['baseUrl', 'tenantId', 'clientId', 'clientSecretEnv', 'tokenUrl', 'phoneFields'],
  check(config) {
    const problems = [
      ...configChecks.requiredUrl(
        config,
        'baseUrl',
        'the organization URL, like https://contoso.crm.dynamics.com',
      ),
      ...configChecks.requiredString(config, 'tenantId', 'the Entra ID tenant id'),
      ...configChecks.requiredString(config, 'clientId', 'the app registration (client) id'),
      ...configChecks.requiredSecret(config, 'clientSecret', 'DYNAMICS_CLIENT_SECRET'),
      ...configChecks.optionalUrl(config, 'tokenUrl'),
    ];
    const fields = config.phoneFields;
    if (
      fields !== undefined &&
      (!Array.isArray(fields) ||
        fields.length === 0 ||
        fields.some((f) => typeof f !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(f)))
    )
      problems.push({ key: 'phoneFields', message: 'must list contact column names' });
    return problems;
  },
  create(config, deps) {
    return createDynamicsConnector(config, deps);
  },
};

/**
 * Query options as the Web API takes them: every reserved character percent-encoded, `+` as `%2B`
 * (a bare `+` reads as a space) and spaces as `%20`.
 */
export function odataQuery(options: Record<string, string>): string {
  return Object.entries(options)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
}

/** Activity types of an activitypointer and the channel they are (omnichannel conversations are chats). */
const ACTIVITY_CHANNELS: Record<string, ContactChannel> = {
  email: 'email',
  msdyn_ocliveworkitem: 'chat',
  msdyn_ocsession: 'chat',
};

/** OData string literal: single quotes doubled. */
function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function createDynamicsConnector(config: ConnectorConfig, deps: ConnectorDeps): Connector {
  const baseUrl = baseUrlOf(config, '');
  const api = `${baseUrl}/api/data/${API_VERSION}`;
  const phoneFields = Array.isArray(config.phoneFields)
    ? (config.phoneFields as string[])
    : DEFAULT_PHONE_FIELDS;
  const tokens = connectorTokens(deps, () => {
    const tenant = encodeURIComponent(stringOf(config, 'tenantId', 'organizations'));
    return clientCredentials({
      platform: PLATFORM,
      tokenUrl: stringOf(
        config,
        'tokenUrl',
        `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
      ),
      clientId: stringOf(config, 'clientId', ''),
      clientSecret: requireSecret(deps, config, 'clientSecret'),
      scope: `${baseUrl}/.default`,
      fetch: deps.fetch,
      now: deps.now,
    });
  });

  const get = (path: string, signal: AbortSignal) =>
    requestJsonWithToken(deps.fetch, tokens, {
      platform: PLATFORM,
      url: `${api}/${path}`,
      headers: {
        'OData-MaxVersion': '4.0',
        'OData-Version': '4.0',
        Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"',
      },
      signal,
    });

  const filterFor = (identity: Identity): string => {
    if (identity.namespace === 'phone')
      return phoneLookupVariants(identity.value)
        .flatMap((variant) => phoneFields.map((field) => `${field} eq ${literal(variant)}`))
        .join(' or ');
    if (identity.namespace === 'email') return `emailaddress1 eq ${literal(identity.value)}`;
    if (identity.namespace === 'dynamics' && /^[0-9a-f-]{36}$/i.test(identity.value))
      return `contactid eq ${identity.value}`;
    throw new ConnectorError(`${PLATFORM} cannot look up "${identity.namespace}" identities`);
  };

  const recordUrl = (entity: string, id: string) =>
    `${baseUrl}/main.aspx?etn=${entity}&id=${encodeURIComponent(id)}&pagetype=entityrecord`;

  return {
    id: config.id,
    async lookup(identity, signal) {
      const query = odataQuery({
        $select: CONTACT_COLUMNS.join(','),
        $filter: filterFor(identity),
        $top: String(MAX_MATCHES),
      });
      const { body } = await get(`contacts?${query}`, signal);
      const contacts =
        isObject(body) && Array.isArray(body.value) ? body.value.filter(isObject) : [];
      return Promise.all(
        contacts.map(async (contact): Promise<Match> => {
          const profile = toProfile(config.id, contact);
          profile.url = recordUrl('contact', profile.id);
          const caseQuery = odataQuery({
            $select: 'incidentid,title,ticketnumber,statecode,createdon',
            $filter: `_customerid_value eq ${profile.id}`,
            $orderby: 'createdon desc',
            $top: '1',
          });
          // The contact is a party of the activity (our phone calls name it as the caller) or
          // the record it is regarding.
          const involves = (parties: string) =>
            `${parties}/any(p:p/_partyid_value eq ${profile.id}) or _regardingobjectid_value eq ${profile.id}`;
          const callQuery = odataQuery({
            $select:
              'activityid,subject,description,category,directioncode,actualend,actualdurationminutes,createdon',
            $filter: involves('phonecall_activity_parties'),
            $orderby: 'createdon desc',
            $top: String(CONTACT_LIMIT),
          });
          const otherQuery = odataQuery({
            $select: 'activityid,activitytypecode,subject,actualend,createdon',
            $filter: `activitytypecode ne 'phonecall' and (${involves('activitypointer_activity_parties')})`,
            $orderby: 'createdon desc',
            $top: String(CONTACT_LIMIT),
          });
          const none = { status: 200, body: undefined };
          const [cases, calls, others] = await Promise.all([
            get(`incidents?${caseQuery}`, signal),
            optionalRead(get(`phonecalls?${callQuery}`, signal), none),
            optionalRead(get(`activitypointers?${otherQuery}`, signal), none),
          ]);
          const contacts = [
            ...rowsOf(calls.body).map((row) => toCallContact(config.id, row, recordUrl)),
            ...rowsOf(others.body).map((row) => toActivityContact(config.id, row, recordUrl)),
          ]
            .filter((contact): contact is ContactEvent => contact !== undefined)
            .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
          return {
            profile,
            activity: [],
            cases: rowsOf(cases.body).map((row) => toCase(row, recordUrl)),
            ...(contacts.length > 0 ? { contacts } : {}),
          };
        }),
      );
    },
  };
}

function toProfile(source: string, contact: Record<string, unknown>): Profile {
  const id = str(contact.contactid);
  if (!id) throw new ConnectorError(`${PLATFORM} sent a contact without contactid`);
  const profile: Profile = { id, source, attributes: {} };
  const fullName = str(contact.fullname);
  const firstName = str(contact.firstname);
  const lastName = str(contact.lastname);
  if (fullName) profile.displayName = fullName;
  if (firstName) profile.firstName = firstName;
  if (lastName) profile.lastName = lastName;
  const email = str(contact.emailaddress1);
  if (email) profile.emails = [email.toLowerCase()];
  const phones = [contact.telephone1, contact.mobilephone, contact.telephone2]
    .map(str)
    .filter((p): p is string => p !== undefined);
  if (phones.length > 0) profile.phones = phones;
  const ownerName = str(contact[`_ownerid_value${FORMATTED}`]);
  const ownerId = str(contact._ownerid_value);
  if (ownerName) profile.owner = { name: ownerName, ...(ownerId ? { id: ownerId } : {}) };
  const updatedAt = isoTime(contact.modifiedon);
  if (updatedAt) profile.updatedAt = updatedAt;
  return profile;
}

function toCase(
  row: Record<string, unknown>,
  recordUrl: (entity: string, id: string) => string,
): Case {
  const id = str(row.incidentid) ?? 'unknown';
  const values = {
    title: row.title,
    number: row.ticketnumber,
    status: str(row[`statecode${FORMATTED}`]) ?? row.statecode,
    createdAt: row.createdon,
    url: recordUrl('incident', id),
  };
  return caseOf(id, values, '(no title)');
}

function rowsOf(body: unknown): Record<string, unknown>[] {
  return isObject(body) && Array.isArray(body.value) ? body.value.filter(isObject) : [];
}

/** A phonecall row: `activityid` is our event id for calls our sink logged. */
function toCallContact(
  source: string,
  row: Record<string, unknown>,
  recordUrl: (entity: string, id: string) => string,
): ContactEvent | undefined {
  const contact = activityContact(source, row, 'call', 'phonecall', recordUrl);
  if (!contact) return undefined;
  if (typeof row.directioncode === 'boolean')
    contact.direction = row.directioncode ? 'outbound' : 'inbound';
  const category = str(row.category);
  if (category) contact.disposition = category;
  const description = str(row.description);
  if (description) contact.note = description;
  const minutes = num(row.actualdurationminutes);
  if (minutes !== undefined) contact.durationSeconds = minutes * 60;
  return contact;
}

/** Any other activity (email, conversation, task, appointment) by its `activitytypecode`. */
function toActivityContact(
  source: string,
  row: Record<string, unknown>,
  recordUrl: (entity: string, id: string) => string,
): ContactEvent | undefined {
  const type = str(row.activitytypecode);
  if (!type) return undefined;
  return activityContact(source, row, ACTIVITY_CHANNELS[type] ?? 'other', type, recordUrl);
}

/** What every activity row has: its id, when it ended (or was created), its subject. */
function activityContact(
  source: string,
  row: Record<string, unknown>,
  channel: ContactChannel,
  entity: string,
  recordUrl: (entity: string, id: string) => string,
): ContactEvent | undefined {
  const id = str(row.activityid);
  const when = isoTime(row.actualend) ?? isoTime(row.createdon);
  if (!id || !when) return undefined;
  const contact: ContactEvent = { id, at: when, channel, source, url: recordUrl(entity, id) };
  const subject = str(row.subject);
  if (subject) contact.title = subject;
  return contact;
}
