import { defineDetector } from './detector';
import { readAnnouncedCall, readUrlCall, type StateWords } from './read';

/**
 * Dynamics 365 model-driven apps (Customer Service workspace, Sales) at `*.dynamics.com`.
 *
 * Channel Integration Framework hosts the telephony provider's widget in an iframe and opens
 * records through `Microsoft.CIFramework.searchAndOpenRecords` or by URL; Microsoft documents the
 * CTI screen-pop URL convention `?ani=<caller>&dnis=<dialled>&type=phonecall`
 * (https://learn.microsoft.com/previous-versions/dn864961(v=usd.1)), which CTI adapters keep
 * using for the pages they open. The incoming-conversation notification is announced as an alert
 * dialog ("Incoming call" with Accept and Reject); Microsoft does not document its DOM.
 */
const URL_PARAMS = ['ani', 'ANI', 'phone'];
const WORDS: StateWords = {
  ringing: /\bincoming (?:call|conversation|voice call)\b/i,
  connected: /\bongoing call\b|\bconnected\b|\bon call\b/i,
  ended: /\bcall ended\b|\bwrap-?up\b/i,
};

export const dynamics365 = defineDetector({
  id: 'dynamics-365',
  matches: ['https://*.dynamics.com/*'],
  read: (doc, url) =>
    readAnnouncedCall(doc, WORDS, '[role="alertdialog"],[role="dialog"],[aria-live]') ??
    readUrlCall(url, URL_PARAMS),
});
