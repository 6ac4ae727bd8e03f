import type { Detector } from './detector';
import { isHostOf, readAnnouncedCall, readUrlCall, type StateWords } from './read';

/**
 * Salesforce Lightning (Service Cloud Voice and Open CTI softphones) at `*.lightning.force.com`,
 * `*.my.salesforce.com` and Visualforce pages at `*.vf.force.com`.
 *
 * An Open CTI softphone is the CTI vendor's own iframe; what Salesforce documents is the screen
 * pop: `sforce.opencti.searchAndScreenPop({ searchParams, queryParams, callType })` passes
 * `queryParams` on to a Visualforce page it pops
 * (https://developer.salesforce.com/docs/service/api-cti/guide/sforce-api-cti-searchandscreenpop-lex.md),
 * so a CTI adapter configured to send `ANI=...` (or `ani`, `callerId`, `phone`) names the caller
 * in the popped page's URL. Service Cloud Voice's Omni-Channel phone announces its documented
 * states ("Incoming call", "Connected", "After Conversation Work"); the DOM itself is not public.
 */
const URL_PARAMS = ['ANI', 'ani', 'callerId', 'CallerId', 'phone'];
const WORDS: StateWords = {
  ringing: /\bincoming call\b|\binbound call\b/i,
  connected: /\bconnected\b|\bcall in progress\b/i,
  ended: /\bafter conversation work\b|\bcall ended\b/i,
};

export const salesforce: Detector = {
  id: 'salesforce',
  matches: ['https://*.force.com/*', 'https://*.my.salesforce.com/*'],
  applies: ({ hostname }) =>
    isHostOf(hostname, 'lightning.force.com') ||
    isHostOf(hostname, 'vf.force.com') ||
    isHostOf(hostname, 'my.salesforce.com'),
  read: (doc, url) => readAnnouncedCall(doc, WORDS) ?? readUrlCall(url, URL_PARAMS),
};
