import type { AfterCallEvent } from '../../shared/after-call';
import { checkUrl, requireKeys, type SinkType, text, trimSlash } from './sink';

/**
 * Apache Unomi's event collector, `POST /cxs/eventcollector`: a session id and a list of events,
 * each with a type, a scope, a source and a target. The event's `itemId` is our id.
 * https://unomi.apache.org/manual/latest/#_request_examples
 * From Unomi 3.1 the collector resolves the tenant from its public API key (`X-Unomi-Api-Key`,
 * `apiKeyEnv`); before, or in 3.x's V2 compatibility mode, a third-party server key
 * (`X-Unomi-Peer`, `peerKeyEnv`) lets protected event types through. Unomi 2+ accepts an event
 * type only with a JSON schema registered for it (`POST /cxs/jsonSchema`, see the README).
 */
export const unomiSinkType: SinkType = {
  keys: ['baseUrl', 'scope', 'peerKeyEnv', 'apiKeyEnv', 'eventType'],
  check: (config) => [...requireKeys(config, ['baseUrl', 'scope']), ...checkUrl(config, 'baseUrl')],
  request(event, config, key) {
    const scope = text(config, 'scope') ?? 'callcenter';
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key) headers[text(config, 'apiKeyEnv') ? 'x-unomi-api-key' : 'x-unomi-peer'] = key;
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
              ...(event.agent ? { agent: event.agent } : {}),
            },
          },
          ...managerUpdate(event, scope),
        ],
      },
    };
  },
  // The tenant's public key, when configured, is what the collector needs (3.1+).
  signIn(config, deps) {
    const variable = text(config, 'apiKeyEnv') ?? text(config, 'peerKeyEnv');
    return {
      async get() {
        const key = variable ? deps.env[variable] : undefined;
        if (variable && !key) throw new Error(`the environment variable ${variable} is not set`);
        return key ?? '';
      },
      invalidate() {},
    };
  },
};

/**
 * "Make me their manager" as Unomi's built-in `updateProperties` event on the customer's profile
 * (a protected event type, accepted from the trusted server this sink is): the manager's fields
 * become profile properties. https://unomi.apache.org/manual/latest/#_update_properties_event_type
 */
function managerUpdate(event: AfterCallEvent, scope: string) {
  const manager = event.newManager;
  if (!manager || !event.profile) return [];
  const update: Record<string, string> = {};
  if (manager.email) update['properties.managerEmail'] = manager.email;
  if (manager.name) update['properties.managerName'] = manager.name;
  if (manager.id) update['properties.managerId'] = manager.id;
  return [
    {
      itemId: `${event.id}-manager`,
      eventType: 'updateProperties',
      scope,
      timeStamp: event.loggedAt,
      source: { itemId: 'caller-context', itemType: 'application', scope },
      properties: { targetId: event.profile.id, targetType: 'profile', update },
    },
  ];
}
