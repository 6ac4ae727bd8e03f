import type { Detector } from './detector';
import { isHostOf, readAnnouncedCall, type StateWords } from './read';

/**
 * Zendesk Support's agent workspace (`<subdomain>.zendesk.com/agent`) with Zendesk Talk, and its
 * messaging and email tickets (an `email:` identity).
 *
 * Zendesk documents Talk's call states for agents ("incoming call", "call in progress",
 * wrap-up) and the Talk Partner Edition API that opens a user's profile for a call, not the agent
 * workspace's DOM. This reads the call console and notifications the workspace announces.
 */
const WORDS: StateWords = {
  ringing: /\bincoming (?:call|chat|conversation|message)\b/i,
  connected: /\bcall in progress\b|\bon call\b|\bconnected\b/i,
  ended: /\bwrap-?up\b|\bcall ended\b/i,
};

export const zendesk: Detector = {
  id: 'zendesk',
  // Whole origins: Chrome runs a script in about:blank and srcdoc frames
  // (match_origin_as_fallback) only for patterns whose path is `*`; `applies` narrows the path.
  matches: ['https://*.zendesk.com/*'],
  applies: ({ hostname, pathname }) =>
    isHostOf(hostname, 'zendesk.com') && pathname.startsWith('/agent'),
  read: (doc) => readAnnouncedCall(doc, WORDS),
};
