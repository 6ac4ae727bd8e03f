import { defineDetector } from './detector';
import { readAnnouncedCall, type StateWords } from './read';

/**
 * Genesys Cloud's agent UI at `apps.mypurecloud.com` and its regional hosts
 * (`apps.mypurecloud.ie`, `apps.mypurecloud.de`, `apps.usw2.pure.cloud`, ...).
 *
 * Genesys documents a conversation participant's states (`alerting`, `connected`,
 * `disconnected`, then after-call work) in its Platform API, and the Embeddable Framework for
 * CRMs, whose iframe is cross-origin; the agent UI's DOM is not documented. This reads the
 * interaction the UI announces (its live region or dialog) with those state words.
 */
const WORDS: StateWords = {
  ringing: /\balerting\b|\bincoming (?:call|interaction)\b/i,
  connected: /\bconnected\b|\bactive call\b/i,
  ended: /\bdisconnected\b|\bafter call work\b|\bacw\b/i,
};

export const genesysCloud = defineDetector({
  id: 'genesys-cloud',
  matches: [
    'https://*.mypurecloud.com/*',
    'https://*.mypurecloud.ie/*',
    'https://*.mypurecloud.de/*',
    'https://*.mypurecloud.jp/*',
    'https://*.mypurecloud.com.au/*',
    'https://*.pure.cloud/*',
  ],
  read: (doc) => readAnnouncedCall(doc, WORDS),
});
