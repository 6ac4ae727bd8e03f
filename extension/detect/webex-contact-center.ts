import type { Detector } from './detector';
import { readAnnouncedCall, type StateWords } from './read';

/**
 * Webex Contact Center's Agent Desktop at `desktop.wxcc-<region>.cisco.com`.
 *
 * Cisco documents the Desktop SDK (`Desktop.agentContact` events, for widgets inside the
 * desktop) and the screen pop (a URL with the flow's variables, such as the ANI, opened in a tab:
 * https://help.webexconnect.io/docs/webexcc-screen-pop), not the desktop's DOM. A screen pop lands
 * on the admin's own CRM, so it is read by an admin rule with `urlParam`; here the desktop's
 * incoming-task popover and interaction panel are read by their announced state words.
 */
const WORDS: StateWords = {
  ringing: /\bringing\b|\bincoming (?:call|task|contact)\b|\boffered\b/i,
  connected: /\bconnected\b|\bengaged\b/i,
  ended: /\bwrap ?up\b|\bcall ended\b/i,
};

export const webexContactCenter: Detector = {
  id: 'webex-contact-center',
  matches: ['https://*.cisco.com/*'],
  applies: ({ hostname }) => /^desktop\.wxcc-[a-z0-9-]+\.cisco\.com$/.test(hostname),
  read: (doc) => readAnnouncedCall(doc, WORDS),
};
