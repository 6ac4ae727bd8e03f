import type { Detector, PageCall } from './detector';
import { isHostOf, readAnnouncedCall, type StateWords } from './read';

/**
 * RingCentral: its web app (`app.ringcentral.com`) and RingCentral Embeddable, the documented
 * softphone widget that CRMs embed (Salesforce, Dynamics 365, Zendesk, HubSpot pages here).
 *
 * Embeddable posts its call events to the page that hosts it, as documented
 * (https://ringcentral.github.io/ringcentral-embeddable/docs/integration/events and
 * .../integration/call-pop): `rc-active-call-notify` with `call.direction`,
 * `call.telephonyStatus` (`Ringing`, `CallConnected`, `NoCall`) and `call.from.phoneNumber`.
 * A content script shares the page's window events, so it hears them too. The web app's DOM is
 * not documented; there its announced call views are read.
 */
const WORDS: StateWords = {
  ringing: /\bincoming call\b/i,
  connected: /\bon call\b|\bconnected\b|\bcall in progress\b/i,
  ended: /\bcall ended\b/i,
};

/** The CRMs RingCentral Embeddable is documented for; only there are its messages heard. */
const EMBEDDING_HOSTS = [
  'force.com',
  'my.salesforce.com',
  'dynamics.com',
  'zendesk.com',
  'hubspot.com',
];

/**
 * Where Embeddable's own frame is served from (its documented iframe and adapter.js addresses,
 * https://ringcentral.github.io/ringcentral-embeddable/docs/initialization): its call events
 * count only when that frame posts them, never when the page or another frame does.
 */
export const EMBEDDABLE_ORIGINS: readonly string[] = [
  'https://apps.ringcentral.com',
  'https://ringcentral.github.io',
];

const STATUS: Record<string, PageCall['state']> = {
  Ringing: 'ringing',
  CallConnected: 'connected',
  OnHold: 'connected',
  NoCall: 'ended',
};

/** The last call each page's Embeddable announced (pages do not share a content script). */
const announced = new WeakMap<Document, PageCall>();

/** Reads one Embeddable message; anything else a page posts is ignored. */
export function readEmbeddableMessage(data: unknown): PageCall | null {
  if (typeof data !== 'object' || data === null) return null;
  const message = data as { type?: unknown; call?: unknown };
  if (message.type !== 'rc-active-call-notify' || typeof message.call !== 'object' || !message.call)
    return null;
  const call = message.call as Record<string, unknown>;
  if (call.direction !== 'Inbound') return null;
  const state = STATUS[String(call.telephonyStatus)];
  const from = call.from as { phoneNumber?: unknown } | undefined;
  const raw = typeof from?.phoneNumber === 'string' ? from.phoneNumber.slice(0, 64) : '';
  if (!state || !raw) return null;
  const id = call.telephonySessionId ?? call.sessionId;
  return typeof id === 'string' && id.length <= 128 ? { raw, state, callId: id } : { raw, state };
}

export const ringcentral: Detector = {
  id: 'ringcentral',
  matches: ['https://app.ringcentral.com/*'],
  applies: ({ hostname }) =>
    hostname === 'app.ringcentral.com' || EMBEDDING_HOSTS.some((h) => isHostOf(hostname, h)),
  read(doc) {
    const call = announced.get(doc);
    if (call) return call.state === 'ended' ? null : call;
    return readAnnouncedCall(doc, WORDS);
  },
  listen(win, changed, signal) {
    win.addEventListener(
      'message',
      (event: MessageEvent) => {
        if (!EMBEDDABLE_ORIGINS.includes(event.origin) || event.source === win) return;
        const call = readEmbeddableMessage(event.data);
        if (!call) return;
        announced.set(win.document, call);
        changed();
      },
      { signal },
    );
  },
};
