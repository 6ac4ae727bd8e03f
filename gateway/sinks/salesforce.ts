import {
  DEFAULT_SALESFORCE_API_VERSION,
  SALESFORCE_ORG_KEYS,
  salesforceApiVersionProblems,
  salesforceTokens,
} from '../../shared/connectors/salesforce';
import {
  checkUrl,
  requireKeys,
  type SinkConfig,
  type SinkType,
  text,
  trimSlash,
  withManagerNote,
} from './sink';

/** Task picklist values as Salesforce defines them. */
const TASK = {
  subtype: 'Call',
  callType: 'Inbound',
  status: 'Completed',
  priority: 'Normal',
} as const;

/** Salesforce's limits on the Task fields we fill. */
const SUBJECT_MAX = 255;
const DISPOSITION_MAX = 255;
const DESCRIPTION_MAX = 32_000;

/**
 * The after-call event as a completed Salesforce Task of subtype Call (what "Log a Call" makes):
 * inbound, its duration, the disposition as the call result, the notes as the description,
 * linked to the contact (WhoId) and the case (WhatId). Fields from the Task object reference:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm
 *
 * Exactly once per event id:
 * - With `externalIdField` (a custom Activity text field the admin marked External ID and
 *   Unique), the Task is upserted by our event id,
 *   `PATCH /services/data/vXX.X/sobjects/Task/{field}/{id}` ("Insert or Update (Upsert) a Record
 *   Using an External ID"): a retry finds the Task it made and creates nothing.
 * - Without it, `POST /services/data/vXX.X/sobjects/Task/` ("Create a Record") creates one Task
 *   per request, and "once" rests on the gateway's per-sink delivery marks: a repeat of the event
 *   goes only to the sinks that have not taken it. A create whose answer was lost can then be
 *   made twice; the Task's CallObject carries our event id, so the duplicate can be found, and
 *   the contact history shows the call once.
 */
export const salesforceSinkType: SinkType = {
  keys: [...SALESFORCE_ORG_KEYS, 'externalIdField', 'contactSource'],
  check(config) {
    const problems = [
      ...requireKeys(config, ['baseUrl', 'clientId']),
      ...checkUrl(config, 'baseUrl'),
      ...checkUrl(config, 'tokenUrl'),
      ...checkUrl(config, 'audience'),
    ];
    if (typeof config.privateKeyEnv === 'string') {
      if (!text(config, 'username'))
        problems.push({ key: 'username', message: 'is required with privateKeyEnv (JWT subject)' });
    } else if (!text(config, 'clientSecretEnv'))
      problems.push({ key: 'clientSecretEnv', message: 'is required (or privateKeyEnv)' });
    const field = config.externalIdField;
    if (field !== undefined && !(typeof field === 'string' && /^[A-Za-z]\w*__c$/.test(field)))
      problems.push({
        key: 'externalIdField',
        message: 'must be a custom field name like CallerContextEventId__c',
      });
    problems.push(...salesforceApiVersionProblems(config));
    return problems;
  },
  request(event, config, bearer) {
    const api = `${trimSlash(text(config, 'baseUrl') ?? '')}/services/data/${text(config, 'apiVersion') ?? DEFAULT_SALESFORCE_API_VERSION}`;
    // Profiles of this source are Salesforce records: a Contact (003…) is the Task's Who, a
    // person account (001…) its What when no case is.
    const contactSource = text(config, 'contactSource') ?? 'salesforce';
    const record = event.profile?.source === contactSource ? event.profile.id : undefined;
    const whoId = record?.startsWith('003') ? record : undefined;
    const caseId = event.caseId?.startsWith('500') ? event.caseId : undefined;
    const whatId = caseId ?? (record?.startsWith('001') ? record : undefined);
    const who = event.profile?.name ?? event.rawNumber;
    const ended = event.endedAt ?? event.loggedAt;
    const body: Record<string, unknown> = {
      Subject: `Call with ${who}: ${event.disposition.label}`.slice(0, SUBJECT_MAX),
      TaskSubtype: TASK.subtype,
      CallType: TASK.callType,
      CallDurationInSeconds: event.talkSeconds,
      CallDisposition: event.disposition.label.slice(0, DISPOSITION_MAX),
      // Open CTI and CTI adapters keep the telephony call's identifier here; ours is the event id.
      CallObject: event.id,
      Description: withManagerNote(descriptionOf(event.notes, event.followUpOn), event).slice(
        0,
        DESCRIPTION_MAX,
      ),
      Status: TASK.status,
      Priority: TASK.priority,
      ActivityDate: ended.slice(0, 10),
      ...(whoId ? { WhoId: whoId } : {}),
      ...(whatId ? { WhatId: whatId } : {}),
    };
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    };
    const field = text(config, 'externalIdField');
    if (field)
      return {
        method: 'PATCH',
        url: `${api}/sobjects/Task/${field}/${encodeURIComponent(event.id)}`,
        headers,
        body,
      };
    return { method: 'POST', url: `${api}/sobjects/Task/`, headers, body };
  },
  // An upsert that finds the Task it made earlier updates it; TaskSubtype can only be set at
  // creation, so Salesforce refuses that field: the Task is already there.
  alreadyStored: (status, body) =>
    status === 400 && /INVALID_FIELD_FOR_INSERT_UPDATE/.test(body) && /TaskSubtype/.test(body),
  signIn(config: SinkConfig, deps) {
    return salesforceTokens(
      { ...config, id: config.id, type: 'salesforce' },
      {
        fetch: deps.fetch,
        now: deps.now,
        secret: (name) => {
          const variable = config[`${name}Env`];
          return typeof variable === 'string' ? deps.env[variable] : undefined;
        },
      },
    );
  },
};

function descriptionOf(notes: string, followUpOn: string | undefined): string {
  const text = followUpOn ? `${notes}${notes ? '\n\n' : ''}Follow-up: ${followUpOn}` : notes;
  return text.slice(0, DESCRIPTION_MAX);
}
