import { checkUrl, requireKeys, type SinkType, text, trimSlash } from './sink';

/**
 * A Dynamics 365 (Dataverse) phone call activity, `POST {baseUrl}/api/data/v9.2/phonecalls`,
 * regarding the case when the agent picked one, else the contact. `activityid` is our event id,
 * so a repeat of the create is refused as a duplicate key instead of logging the call twice.
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/reference/entities/phonecall
 */
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
    const regarding = event.caseId
      ? { 'regardingobjectid_incident@odata.bind': `/incidents(${event.caseId})` }
      : event.profile?.source === contactSource
        ? { 'regardingobjectid_contact@odata.bind': `/contacts(${event.profile.id})` }
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
        description: event.notes,
        phonenumber: event.identity?.value ?? event.rawNumber,
        directioncode: false,
        actualstart: event.connectedAt ?? event.ringingAt,
        actualend: event.endedAt ?? event.loggedAt,
        actualdurationminutes: Math.ceil(event.talkSeconds / 60),
        category: event.disposition.code,
        ...(event.followUpOn ? { scheduledend: `${event.followUpOn}T09:00:00Z` } : {}),
        ...regarding,
      },
    };
  },
  // Dataverse answers a create of an existing primary key with 412 or a duplicate-key error.
  alreadyStored: (status, body) =>
    status === 412 || (status >= 400 && status < 500 && /0x80040237|duplicate key/i.test(body)),
};
