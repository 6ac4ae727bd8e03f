import type { Detector } from './detector';
import { isHostOf, readAnnouncedCall, type StateWords } from './read';

/**
 * Amazon Connect's Contact Control Panel (CCP v2) and agent workspace, at
 * `<instance>.my.connect.aws` (or the older `<instance>.awsapps.com/connect/`).
 *
 * Amazon documents the CCP's states and contact events (Streams: `contact.onConnecting`,
 * `onConnected`, `onEnded`, https://github.com/amazon-connect/amazon-connect-streams) but not its
 * DOM, and Streams' objects live in the page's world, out of a content script's reach. So this
 * reads what the CCP announces to assistive technology: a dialog or live region named with the
 * agent guide's state words ("Incoming call", "Connected call", "After contact work") that holds
 * the customer's number.
 */
const WORDS: StateWords = {
  ringing: /\bincoming (?:call|contact)\b|\binbound call\b/i,
  connected: /\bconnected call\b|\bconnected\b|\bon call\b/i,
  ended: /\bafter (?:contact|call) work\b|\bmissed call\b|\bcall ended\b/i,
};

export const amazonConnect: Detector = {
  id: 'amazon-connect',
  // Whole origins: Chrome runs a script in about:blank and srcdoc frames
  // (match_origin_as_fallback) only for patterns whose path is `*`; `applies` narrows the path.
  matches: ['https://*.my.connect.aws/*', 'https://*.awsapps.com/*'],
  applies: ({ hostname, pathname }) =>
    isHostOf(hostname, 'my.connect.aws') ||
    (isHostOf(hostname, 'awsapps.com') && pathname.startsWith('/connect/')),
  read: (doc) => readAnnouncedCall(doc, WORDS),
};
