import { checkUrl, requireKeys, type SinkType, text, trimSlash, withManagerNote } from './sink';

/**
 * A Dynamics 365 (Dataverse) phone call activity, `POST {baseUrl}/api/data/v9.2/phonecalls`:
 * incoming (`directioncode` false), regarding the case when the agent picked one, else the
 * contact, with the contact as the caller (the call's sender activity party, participation type
 * 1) so it shows in the contact's timeline either way. The single-valued navigation properties
 * are the phonecall's own (`regardingobjectid_incident_phonecall`,
 * `regardingobjectid_contact_phonecall`), bound with `@odata.bind`; the party is created in the
 * same request through the `phonecall_activity_parties` collection. `activityid` is our event
 * id, so a repeat of the create is refused as a duplicate key instead of logging the call twice.
 * https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/phonecall
 * https://learn.microsoft.com/power-apps/developer/data-platform/activityparty-entity
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const dynamicsSinkType: SinkType = {
  keys: [
    'baseUrl',
    'tenantId',
    'clientId',
    'clientSecretEnv',
    'tokenUrl',
    'scope',
    'contactSource',
  ],
  check: (config) => [
    ...requireKeys(config, ['baseUrl', 'clientId', 'clientSecretEnv']),
    ...checkUrl(config, 'baseUrl'),
    ...checkUrl(config, 'tokenUrl'),
  ],
  request(event, config, bearer) {
    // Profiles of this source are Dataverse contacts (their id is the contact's GUID).
    const contactSource = text(config, 'contactSource') ?? 'dynamics';
    const contactId = event.profile?.source === contactSource ? event.profile.id : undefined;
    // The case is one of that contact's cases; a case of another source is no Dataverse record.
    const caseId = contactId && event.caseId && GUID.test(event.caseId) ? event.caseId : undefined;
    const regarding = caseId
      ? { 'regardingobjectid_incident_phonecall@odata.bind': `/incidents(${caseId})` }
      : contactId
        ? { 'regardingobjectid_contact_phonecall@odata.bind': `/contacts(${contactId})` }
        : {};
    const caller = contactId
      ? {
          phonecall_activity_parties: [
            { 'partyid_contact@odata.bind': `/contacts(${contactId})`, participationtypemask: 1 },
          ],
        }
      : {};
    const who = event.profile?.name ?? event.rawNumber;
    return {
      url: `${trimSlash(text(config, 'baseUrl') ?? '')}/api/data/v9.2/phonecalls`,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/json',
        'odata-version': '4.0',
        'odata-maxversion': '4.0',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      body: {
        activityid: event.id,
        subject: `Call with ${who}: ${event.disposition.label}`,
        description: withManagerNote(event.notes, event),
        phonenumber: event.identity?.value ?? event.rawNumber,
        directioncode: false,
        actualstart: event.connectedAt ?? event.ringingAt,
        actualend: event.endedAt ?? event.loggedAt,
        actualdurationminutes: Math.ceil(event.talkSeconds / 60),
        category: event.disposition.label,
        subcategory: event.disposition.code,
        ...(event.followUpOn ? { scheduledend: `${event.followUpOn}T09:00:00Z` } : {}),
        ...regarding,
        ...caller,
      },
    };
  },
  // Dataverse answers a create of an existing primary key with 412 or a duplicate-key error.
  alreadyStored: (status, body) =>
    status === 412 || (status >= 400 && status < 500 && /0x80040237|duplicate key/i.test(body)),
};
