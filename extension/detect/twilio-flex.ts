import { defineDetector } from './detector';
import { readAnnouncedCall, type StateWords } from './read';

/**
 * Twilio Flex's agent desktop (`flex.twilio.com`, or a self-hosted Flex UI on `*.twil.io`).
 *
 * Flex renders each task in the task list as a `.Twilio-TaskListBaseItem` whose first line is
 * the caller (number for voice, address or name for chat and email) and whose second line names
 * the reservation's state. Flex's own theming guide overrides these class names
 * (`Twilio-TaskListBaseItem-UpperArea`), but Twilio does not promise the DOM as an API, so
 * this reads only the class and the visible words, and admins can add a rule if Flex changes.
 * Reservation states: https://twilio.github.io/twilio-taskrouter.js/Reservation.html
 */
const WORDS: StateWords = {
  ringing: /\bincoming\b|\bpending\b|\bringing\b/i,
  connected: /\blive\b|\baccepted\b|\bin progress\b|\btalking\b/i,
  ended: /\bwrap(?:ping|-| )?up\b|\bcompleted\b|\bcall ended\b/i,
};

export const twilioFlex = defineDetector({
  id: 'twilio-flex',
  matches: ['https://flex.twilio.com/*', 'https://*.twil.io/*'],
  read: (doc) => readAnnouncedCall(doc, WORDS, '.Twilio-TaskListBaseItem'),
});
