import type { Case, ContactChannel, ContactEvent, Identity, Match, Profile } from '../model';
import { phoneLookupVariants } from '../phone-variants';
import {
  baseUrlOf,
  type Connector,
  type ConnectorConfig,
  type ConnectorConfigProblem,
  type ConnectorDeps,
  type ConnectorType,
  caseOf,
  configChecks,
  requireSecret,
  stringOf,
} from './connector';
import { at, ConnectorError, isObject, isoTime, num, optionalRead, str } from './http';
import { jwtBearer } from './jwt-bearer';
import {
  clientCredentials,
  connectorTokens,
  requestJsonWithToken,
  type TokenSource,
} from './oauth';

/**
 * Salesforce (REST API): contacts, and person accounts where the org has them, found by phone
 * with a SOSL search over every phone field (`GET /services/data/vXX.X/search/?q=FIND {…} IN
 * PHONE FIELDS RETURNING Contact(…)`) and the number variants; the contact's latest case and
 * recent activities (Tasks: logged calls, emails) with SOQL (`GET …/query/?q=SELECT …`); the
 * owner as the customer's own manager; Lightning record URLs for the screen pop.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_search.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_query.htm
 * Sign-in: OAuth 2.0 client credentials flow, or the JWT bearer flow (jwt-bearer.ts).
 */
const PLATFORM = 'Salesforce';
export const DEFAULT_SALESFORCE_API_VERSION = 'v62.0';
const DEFAULT_AUDIENCE = 'https://login.salesforce.com';
const MAX_MATCHES = 5;
const CONTACT_LIMIT = 10;

/**
 * The keys that name the org, its API version and how to sign in to it (`salesforceTokens`): the
 * Salesforce connector and the Salesforce sink (gateway/sinks/salesforce.ts) read them alike.
 */
export const SALESFORCE_ORG_KEYS = [
  'baseUrl',
  'tokenUrl',
  'clientId',
  'clientSecretEnv',
  'privateKeyEnv',
  'username',
  'audience',
  'apiVersion',
] as const;

/** `apiVersion`, when given, must look like `v62.0`. */
export function salesforceApiVersionProblems(
  config: Readonly<Record<string, unknown>>,
): ConnectorConfigProblem[] {
  const version = config.apiVersion;
  return version !== undefined && !(typeof version === 'string' && /^v\d+\.\d$/.test(version))
    ? [{ key: 'apiVersion', message: 'must be an API version like v62.0' }]
    : [];
}

export const salesforceConnectorType: ConnectorType = {
  platform: PLATFORM,
  keys: [...SALESFORCE_ORG_KEYS, 'lightningUrl', 'personAccounts', 'externalIdField'],
  check(config) {
    const problems = [
      ...configChecks.requiredUrl(
        config,
        'baseUrl',
        'the org\u2019s My Domain URL, like https://acme.my.salesforce.com',
      ),
      ...configChecks.optionalUrl(config, 'tokenUrl'),
      ...configChecks.requiredString(config, 'clientId', 'the connected app\u2019s consumer key'),
      ...configChecks.optionalUrl(config, 'audience'),
      ...configChecks.optionalUrl(config, 'lightningUrl'),
      ...configChecks.optionalString(config, 'externalIdField', 'a Task field name'),
    ];
    const jwt = config.privateKeyEnv !== undefined;
    if (jwt) {
      problems.push(...configChecks.requiredSecret(config, 'privateKey', 'SF_PRIVATE_KEY'));
      problems.push(
        ...configChecks.requiredString(config, 'username', 'the integration user (JWT subject)'),
      );
    } else {
      problems.push(...configChecks.requiredSecret(config, 'clientSecret', 'SF_CLIENT_SECRET'));
    }
    problems.push(...salesforceApiVersionProblems(config));
    if (config.personAccounts !== undefined && typeof config.personAccounts !== 'boolean')
      problems.push({ key: 'personAccounts', message: 'must be true or false' });
    const field = config.externalIdField;
    if (typeof field === 'string' && !/^[A-Za-z][A-Za-z0-9_]*$/.test(field))
      problems.push({ key: 'externalIdField', message: 'must be a field API name' });
    return problems;
  },
  create(config, deps) {
    return createSalesforceConnector(config, deps);
  },
};

/** Characters SOSL reserves in a search term; each is escaped with a backslash (FIND clause). */
const SOSL_RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;

export function soslTerm(text: string): string {
  return `"${text.replace(SOSL_RESERVED, (c) => `\\${c}`)}"`;
}

/** SOQL string literal: quote and backslash escaped (SOQL "Reserved Characters"). */
function soqlLiteral(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** Salesforce record ids are 15 or 18 alphanumeric characters. */
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * Lightning Experience lives on the My Domain's `lightning.force.com` host
 * (`acme.my.salesforce.com` → `acme.lightning.force.com`, sandboxes likewise).
 */
export function lightningBase(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    if (url.hostname.endsWith('.my.salesforce.com'))
      url.hostname = url.hostname.replace(/\.my\.salesforce\.com$/, '.lightning.force.com');
    return url.origin;
  } catch {
    return baseUrl;
  }
}

const CONTACT_FIELDS = [
  'Id',
  'Name',
  'FirstName',
  'LastName',
  'Email',
  'Phone',
  'MobilePhone',
  'HomePhone',
  'OtherPhone',
  'LastModifiedDate',
  'OwnerId',
  'Owner.Name',
  'Owner.Email',
];
const PERSON_ACCOUNT_FIELDS = [
  'Id',
  'Name',
  'FirstName',
  'LastName',
  'PersonEmail',
  'Phone',
  'PersonMobilePhone',
  'PersonHomePhone',
  'PersonContactId',
  'LastModifiedDate',
  'OwnerId',
  'Owner.Name',
  'Owner.Email',
];

/** Task subtypes (Task.TaskSubtype picklist) and the channel each is. */
const TASK_CHANNELS: Record<string, ContactChannel> = {
  Call: 'call',
  Email: 'email',
  ListEmail: 'email',
  Cadence: 'other',
  LinkedIn: 'other',
  Task: 'other',
};

export function createSalesforceConnector(config: ConnectorConfig, deps: ConnectorDeps): Connector {
  const baseUrl = baseUrlOf(config, '');
  const version = stringOf(config, 'apiVersion', DEFAULT_SALESFORCE_API_VERSION);
  const api = `${baseUrl}/services/data/${version}`;
  const lightning = stringOf(config, 'lightningUrl', lightningBase(baseUrl)).replace(/\/+$/, '');
  const externalIdField = stringOf(config, 'externalIdField');
  const tokens = connectorTokens(deps, () => salesforceTokens(config, deps));

  const get = (pathAndQuery: string, signal: AbortSignal) =>
    requestJsonWithToken(deps.fetch, tokens, {
      platform: PLATFORM,
      url: `${api}${pathAndQuery}`,
      signal,
    });

  const query = async (soql: string, signal: AbortSignal) => {
    const { body } = await get(`/query/?q=${encodeURIComponent(soql)}`, signal);
    const records = at(body, 'records');
    return (Array.isArray(records) ? records : []).filter(isObject);
  };

  const recordUrl = (object: string, id: string) =>
    `${lightning}/lightning/r/${object}/${encodeURIComponent(id)}/view`;

  const searchFor = (identity: Identity): string => {
    const objects = [`Contact(${CONTACT_FIELDS.join(', ')} LIMIT ${MAX_MATCHES})`];
    if (config.personAccounts === true)
      objects.push(
        `Account(${PERSON_ACCOUNT_FIELDS.join(', ')} WHERE IsPersonAccount = true LIMIT ${MAX_MATCHES})`,
      );
    const returning = `RETURNING ${objects.join(', ')}`;
    if (identity.namespace === 'phone')
      return `FIND {${phoneLookupVariants(identity.value).map(soslTerm).join(' OR ')}} IN PHONE FIELDS ${returning}`;
    if (identity.namespace === 'email')
      return `FIND {${soslTerm(identity.value)}} IN EMAIL FIELDS ${returning}`;
    throw new ConnectorError(`${PLATFORM} cannot look up "${identity.namespace}" identities`);
  };

  const taskFields = [
    'Id',
    'Subject',
    'Description',
    'TaskSubtype',
    'CallType',
    'CallDurationInSeconds',
    'CallDisposition',
    'CallObject',
    'Status',
    'WhatId',
    'CompletedDateTime',
    'CreatedDate',
    ...(externalIdField ? [externalIdField] : []),
  ];

  return {
    id: config.id,
    async lookup(identity, signal) {
      const { body } = await get(`/search/?q=${encodeURIComponent(searchFor(identity))}`, signal);
      // Since API 36.0 the answer is { searchRecords: [...] }; before, the list itself.
      const listed = Array.isArray(body) ? body : at(body, 'searchRecords');
      const records = (Array.isArray(listed) ? listed : []).filter(isObject).slice(0, MAX_MATCHES);
      return Promise.all(
        records.map(async (record): Promise<Match> => {
          const type = str(at(record, 'attributes.type')) ?? 'Contact';
          const profile = toProfile(config.id, record, type);
          profile.url = recordUrl(type, profile.id);
          // A person account's cases and activities hang off its person contact.
          const contactId = type === 'Account' ? str(record.PersonContactId) : profile.id;
          if (!contactId || !RECORD_ID.test(contactId)) return { profile, activity: [], cases: [] };
          const [caseRows, taskRows] = await Promise.all([
            query(
              `SELECT Id, CaseNumber, Subject, Status, CreatedDate FROM Case WHERE ContactId = ${soqlLiteral(contactId)} ORDER BY CreatedDate DESC LIMIT 1`,
              signal,
            ),
            optionalRead(
              query(
                `SELECT ${taskFields.join(', ')} FROM Task WHERE WhoId = ${soqlLiteral(contactId)} ORDER BY CreatedDate DESC LIMIT ${CONTACT_LIMIT}`,
                signal,
              ),
              [],
            ),
          ]);
          const contacts = taskRows
            .map((row) => toContact(config.id, row, externalIdField, recordUrl))
            .filter((contact): contact is ContactEvent => contact !== undefined);
          return {
            profile,
            activity: [],
            cases: caseRows.map((row) => toCase(row, recordUrl)),
            ...(contacts.length > 0 ? { contacts } : {}),
          };
        }),
      );
    },
  };
}

/** The token endpoint: the config's, else the My Domain's `/services/oauth2/token`. */
export function salesforceTokenUrl(config: ConnectorConfig): string {
  return stringOf(config, 'tokenUrl', `${baseUrlOf(config, '')}/services/oauth2/token`);
}

/** JWT bearer flow when a private key is configured, else client credentials. */
export function salesforceTokens(config: ConnectorConfig, deps: ConnectorDeps): TokenSource {
  const common = {
    platform: PLATFORM,
    tokenUrl: salesforceTokenUrl(config),
    clientId: stringOf(config, 'clientId', ''),
    fetch: deps.fetch,
    now: deps.now,
  };
  if (typeof config.privateKeyEnv === 'string')
    return jwtBearer({
      ...common,
      subject: stringOf(config, 'username', ''),
      audience: stringOf(config, 'audience', DEFAULT_AUDIENCE),
      // PEM from an environment variable may carry `\n` escapes instead of line breaks.
      privateKeyPem: requireSecret(deps, config, 'privateKey').replaceAll('\\n', '\n'),
    });
  return clientCredentials({
    ...common,
    clientSecret: requireSecret(deps, config, 'clientSecret'),
  });
}

function toProfile(source: string, record: Record<string, unknown>, type: string): Profile {
  const id = str(record.Id);
  if (!id) throw new ConnectorError(`${PLATFORM} sent a ${type} without Id`);
  const profile: Profile = { id, source, attributes: {} };
  const name = str(record.Name);
  const firstName = str(record.FirstName);
  const lastName = str(record.LastName);
  if (name) profile.displayName = name;
  if (firstName) profile.firstName = firstName;
  if (lastName) profile.lastName = lastName;
  const email = str(record.Email) ?? str(record.PersonEmail);
  if (email) profile.emails = [email.toLowerCase()];
  const phones = [
    record.Phone,
    record.MobilePhone,
    record.HomePhone,
    record.OtherPhone,
    record.PersonMobilePhone,
    record.PersonHomePhone,
  ]
    .map(str)
    .filter((p): p is string => p !== undefined);
  if (phones.length > 0) profile.phones = [...new Set(phones)];
  const ownerName = str(at(record, 'Owner.Name'));
  if (ownerName) {
    const ownerId = str(record.OwnerId);
    const ownerEmail = str(at(record, 'Owner.Email'));
    profile.owner = {
      name: ownerName,
      ...(ownerId ? { id: ownerId } : {}),
      ...(ownerEmail ? { email: ownerEmail.toLowerCase() } : {}),
    };
  }
  if (type === 'Account') profile.attributes.personAccount = true;
  const updatedAt = isoTime(record.LastModifiedDate);
  if (updatedAt) profile.updatedAt = updatedAt;
  return profile;
}

function toCase(
  row: Record<string, unknown>,
  recordUrl: (object: string, id: string) => string,
): Case {
  const id = str(row.Id) ?? 'unknown';
  const values = {
    title: row.Subject,
    number: row.CaseNumber,
    status: row.Status,
    createdAt: row.CreatedDate,
    url: recordUrl('Case', id),
  };
  return caseOf(id, values, '(no subject)');
}

/**
 * A Task: a logged call (TaskSubtype Call) with its result and duration, an email, or another
 * activity. The id is our event id where the Task carries it (the admin's external-id field, or
 * CallObject, which our sink sets), so the call logged in this browser is not shown twice.
 */
function toContact(
  source: string,
  row: Record<string, unknown>,
  externalIdField: string | undefined,
  recordUrl: (object: string, id: string) => string,
): ContactEvent | undefined {
  const taskId = str(row.Id);
  const when = isoTime(row.CompletedDateTime) ?? isoTime(row.CreatedDate);
  if (!taskId || !when) return undefined;
  const ours = (externalIdField ? str(row[externalIdField]) : undefined) ?? str(row.CallObject);
  const subtype = str(row.TaskSubtype);
  const contact: ContactEvent = {
    id: ours ?? taskId,
    at: when,
    channel: (subtype ? TASK_CHANNELS[subtype] : undefined) ?? 'other',
    source,
    url: recordUrl('Task', taskId),
  };
  const callType = str(row.CallType);
  if (callType === 'Inbound') contact.direction = 'inbound';
  if (callType === 'Outbound') contact.direction = 'outbound';
  const subject = str(row.Subject);
  if (subject) contact.title = subject;
  const disposition = str(row.CallDisposition);
  if (disposition) contact.disposition = disposition;
  const description = str(row.Description);
  if (description) contact.note = description;
  const seconds = num(row.CallDurationInSeconds);
  if (seconds !== undefined) contact.durationSeconds = seconds;
  // Case ids start with the Case key prefix 500.
  const whatId = str(row.WhatId);
  if (whatId?.startsWith('500')) contact.caseId = whatId;
  return contact;
}
