import type { Detector } from './detector';
import { readAnnouncedCall, type StateWords } from './read';

/**
 * HubSpot's CRM (`app.hubspot.com`, `app-eu1.hubspot.com`, ...) with its calling widget.
 *
 * HubSpot documents the Calling Extensions SDK (`incomingCall({ fromNumber, toNumber })`,
 * `callAnswered`, `callEnded`, sent from a provider's iframe to HubSpot), whose messages do not
 * reach the page itself; the calling widget's DOM is not documented. This reads the incoming-call
 * notification and call panel HubSpot announces.
 */
const WORDS: StateWords = {
  ringing: /\bincoming call\b/i,
  connected: /\bcall in progress\b|\bconnected\b|\bon a call\b/i,
  ended: /\bcall ended\b|\blog (?:your|this) call\b/i,
};

export const hubspot: Detector = {
  id: 'hubspot',
  matches: ['https://*.hubspot.com/*'],
  applies: ({ hostname }) => /^app(?:-[a-z0-9]+)?\.hubspot\.com$/.test(hostname),
  read: (doc) => readAnnouncedCall(doc, WORDS),
};
