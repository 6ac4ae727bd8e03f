import { checkUrl, requireKeys, type SinkType, text, trimSlash } from './sink';

/**
 * Apache Unomi's event collector, `POST /cxs/eventcollector`: a session id and a list of events,
 * each with a type, a scope, a source and a target. The event's `itemId` is our id.
 * https://unomi.apache.org/manual/latest/#_request_examples
 * A third-party server key (`X-Unomi-Peer`) lets protected event types through.
 */
export const unomiSinkType: SinkType = {
  keys: ['baseUrl', 'scope', 'peerKeyEnv', 'eventType'],
  check: (config) => [...requireKeys(config, ['baseUrl', 'scope']), ...checkUrl(config, 'baseUrl')],
  request(event, config, peerKey) {
    const scope = text(config, 'scope') ?? 'callcenter';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (peerKey) headers['x-unomi-peer'] = peerKey;
    return {
      url: `${trimSlash(text(config, 'baseUrl') ?? '')}/cxs/eventcollector`,
      headers,
      body: {
        sessionId: event.callId,
        ...(event.profile ? { profileId: event.profile.id } : {}),
        events: [
          {
            itemId: event.id,
            eventType: text(config, 'eventType') ?? 'callLogged',
            scope,
            timeStamp: event.endedAt ?? event.loggedAt,
            source: { itemId: 'caller-context', itemType: 'application', scope },
            target: { itemId: event.callId, itemType: 'phoneCall', scope },
            properties: {
              disposition: event.disposition.code,
              dispositionLabel: event.disposition.label,
              notes: event.notes,
              talkSeconds: event.talkSeconds,
              ringingAt: event.ringingAt,
              ...(event.identity
                ? { identity: `${event.identity.namespace}:${event.identity.value}` }
                : {}),
              ...(event.followUpOn ? { followUpOn: event.followUpOn } : {}),
              ...(event.caseId ? { caseId: event.caseId } : {}),
            },
          },
        ],
      },
    };
  },
};
