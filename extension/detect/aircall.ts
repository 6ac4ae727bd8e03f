import { defineDetector } from './detector';
import { readAnnouncedCall, type StateWords } from './read';

/**
 * Aircall's web phone (`phone.aircall.io`) and workspace (`workspace.aircall.io`).
 *
 * Aircall documents its phone's events for integrators (Aircall Everywhere: `incoming_call`,
 * `outgoing_answered`, `call_ended`, https://github.com/aircall/aircall-everywhere) through an SDK
 * in the host page, not its DOM. This reads the incoming-call screen and the ongoing-call view
 * the phone announces.
 */
const WORDS: StateWords = {
  ringing: /\bincoming call\b|\bringing\b/i,
  connected: /\bongoing call\b|\bin call\b|\bconnected\b/i,
  ended: /\bcall ended\b|\bwrap-?up\b|\bafter-?call\b/i,
};

export const aircall = defineDetector({
  id: 'aircall',
  matches: ['https://phone.aircall.io/*', 'https://workspace.aircall.io/*'],
  read: (doc) => readAnnouncedCall(doc, WORDS),
});
