import type { AfterCallEvent } from '../../shared/after-call';
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
    const headers = {
      'content-type': 'application/json',
      authorization: `Basic ${btoa(`${writeKey ?? ''}:`)}`,
    };
    const track = {
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
        ...(event.agent ? { agent: event.agent } : {}),
      },
      context:
        event.identity?.namespace === 'phone' ? { traits: { phone: event.identity.value } } : {},
    };
    const manager = managerIdentify(event);
    // "Make me their manager": the track and an identify that sets the customer's traits, in one
    // batch request (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#batch).
    if (manager)
      return {
        url: `${baseUrl}/v1/batch`,
        headers,
        body: { batch: [{ type: 'track', ...track }, manager] },
      };
    return { url: `${baseUrl}/v1/track`, headers, body: track };
  },
};

/** An identify of the customer with their new manager as traits; its own `messageId`. */
function managerIdentify(event: AfterCallEvent) {
  const manager = event.newManager;
  if (!manager || !event.profile) return undefined;
  return {
    type: 'identify',
    userId: event.profile.id,
    messageId: `${event.id}-manager`,
    timestamp: event.loggedAt,
    traits: {
      ...(manager.email ? { managerEmail: manager.email } : {}),
      ...(manager.name ? { managerName: manager.name } : {}),
      ...(manager.id ? { managerId: manager.id } : {}),
    },
  };
}
