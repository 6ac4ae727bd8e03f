import { checkUrl, requireKeys, type SinkType, text, trimSlash } from './sink';

/**
 * Segment's HTTP Tracking API `track` call, authenticated with the source's write key (HTTP
 * basic, key as user name). `messageId` is the event id: Segment drops repeats of it.
 * https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#track
 */
export const DEFAULT_SEGMENT_BASE_URL = 'https://api.segment.io';

export const segmentSinkType: SinkType = {
  keys: ['baseUrl', 'writeKeyEnv', 'eventName'],
  check: (config) => [...requireKeys(config, ['writeKeyEnv']), ...checkUrl(config, 'baseUrl')],
  request(event, config, writeKey) {
    const baseUrl = trimSlash(text(config, 'baseUrl') ?? DEFAULT_SEGMENT_BASE_URL);
    const who = event.profile
      ? { userId: event.profile.id }
      : {
          anonymousId: event.identity
            ? `${event.identity.namespace}:${event.identity.value}`
            : event.callId,
        };
    return {
      url: `${baseUrl}/v1/track`,
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${btoa(`${writeKey ?? ''}:`)}`,
      },
      body: {
        ...who,
        messageId: event.id,
        event: text(config, 'eventName') ?? 'Call Logged',
        timestamp: event.endedAt ?? event.loggedAt,
        properties: {
          callId: event.callId,
          disposition: event.disposition.code,
          dispositionLabel: event.disposition.label,
          notes: event.notes,
          talkSeconds: event.talkSeconds,
          ringingAt: event.ringingAt,
          ...(event.connectedAt ? { connectedAt: event.connectedAt } : {}),
          ...(event.followUpOn ? { followUpOn: event.followUpOn } : {}),
          ...(event.caseId ? { caseId: event.caseId } : {}),
          ...(event.profile ? { profileSource: event.profile.source } : {}),
        },
        context:
          event.identity?.namespace === 'phone' ? { traits: { phone: event.identity.value } } : {},
      },
    };
  },
};
