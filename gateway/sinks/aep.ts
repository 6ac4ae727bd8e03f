import type { AfterCallEvent } from '../../shared/after-call';
import { checkUrl, requireKeys, type SinkConfig, type SinkType, text, trimSlash } from './sink';

/**
 * Adobe Experience Platform streaming ingestion: one XDM ExperienceEvent per request to
 * `POST {baseUrl}/collection/{inletId}` with the dataflow's `x-adobe-flow-id` header.
 * https://experienceleague.adobe.com/en/docs/experience-platform/ingestion/tutorials/streaming-time-series-data
 * The call's details go in the tenant's field group `_<tenant>.callCenter` (see
 * fixtures/xdm/call-details.schema.json for the field group to create).
 */
export const DEFAULT_AEP_BASE_URL = 'https://dcs.adobedc.net';
export const XDM_EVENT_TYPE = 'callCenter.callLogged';
const XED_FULL = 'application/vnd.adobe.xed-full+json;version=1';

/** Identity namespaces of our identities, as Experience Platform's standard namespace codes. */
const NAMESPACES: Record<string, string> = { phone: 'Phone', email: 'Email' };

export function toXdmExperienceEvent(event: AfterCallEvent, tenant: string) {
  const identityMap: Record<
    string,
    { id: string; primary: boolean; authenticatedState: string }[]
  > = {};
  if (event.identity)
    identityMap[NAMESPACES[event.identity.namespace] ?? event.identity.namespace] = [
      { id: event.identity.value, primary: true, authenticatedState: 'ambiguous' },
    ];
  return {
    _id: event.id,
    timestamp: event.endedAt ?? event.loggedAt,
    eventType: XDM_EVENT_TYPE,
    identityMap,
    [`_${tenant}`]: {
      callCenter: {
        callId: event.callId,
        ...(event.platformCallId ? { platformCallId: event.platformCallId } : {}),
        dispositionCode: event.disposition.code,
        dispositionLabel: event.disposition.label,
        notes: event.notes,
        ...(event.followUpOn ? { followUpOn: event.followUpOn } : {}),
        ringingAt: event.ringingAt,
        ...(event.connectedAt ? { connectedAt: event.connectedAt } : {}),
        ...(event.endedAt ? { endedAt: event.endedAt } : {}),
        talkSeconds: event.talkSeconds,
        ...(event.profile
          ? { profileId: event.profile.id, profileSource: event.profile.source }
          : {}),
        ...(event.caseId ? { caseId: event.caseId } : {}),
        // "Make me their manager": on the event, for a computed attribute or a journey to read.
        ...(event.newManager ? { newManager: event.newManager } : {}),
        // Who logged the call, as the gateway's sign-in knows them.
        ...(event.agent ? { agent: event.agent } : {}),
      },
    },
  };
}

export const aepSinkType: SinkType = {
  keys: [
    'baseUrl',
    'inletId',
    'flowId',
    'tenant',
    'schemaId',
    'datasetId',
    'orgId',
    'sandbox',
    'clientId',
    'clientSecretEnv',
    'tokenUrl',
    'scope',
  ],
  check(config) {
    const problems = [
      ...requireKeys(config, ['inletId', 'flowId', 'tenant', 'schemaId']),
      ...checkUrl(config, 'baseUrl'),
      ...checkUrl(config, 'tokenUrl'),
    ];
    const tenant = text(config, 'tenant');
    if (tenant && !/^[a-z0-9_]+$/i.test(tenant))
      problems.push({ key: 'tenant', message: 'must be the tenant id without its underscore' });
    return problems;
  },
  request(event, config: SinkConfig, bearer) {
    const baseUrl = trimSlash(text(config, 'baseUrl') ?? DEFAULT_AEP_BASE_URL);
    const schemaRef = { id: text(config, 'schemaId') ?? '', contentType: XED_FULL };
    const orgId = text(config, 'orgId');
    const datasetId = text(config, 'datasetId');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-adobe-flow-id': text(config, 'flowId') ?? '',
    };
    // Authenticated inlets take an IMS token with the usual Platform headers.
    if (bearer) {
      headers.authorization = `Bearer ${bearer}`;
      const clientId = text(config, 'clientId');
      if (clientId) headers['x-api-key'] = clientId;
      if (orgId) headers['x-gw-ims-org-id'] = orgId;
      const sandbox = text(config, 'sandbox');
      if (sandbox) headers['x-sandbox-name'] = sandbox;
    }
    return {
      url: `${baseUrl}/collection/${encodeURIComponent(text(config, 'inletId') ?? '')}`,
      headers,
      body: {
        header: {
          schemaRef,
          ...(orgId ? { imsOrgId: orgId } : {}),
          ...(datasetId ? { datasetId } : {}),
          source: { name: 'Caller Context' },
        },
        body: {
          xdmMeta: { schemaRef },
          xdmEntity: toXdmExperienceEvent(event, text(config, 'tenant') ?? 'tenant'),
        },
      },
    };
  },
};
