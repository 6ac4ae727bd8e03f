import { browser } from 'wxt/browser';
import { POLICY_CACHE_KEY } from '../../background/config-store';
import { messaging } from '../../shared/protocol';
import { defineOptionsElements } from '../../widget/define-options';
import { createTranslator } from '../../widget/i18n/catalog';
import type { OptionsApi } from '../../widget/options.component';
import { outboxMessages } from '../../widget/outbox-messages';

const api: OptionsApi = {
  getSettings: () => messaging.sendMessage('getSettings', undefined),
  saveSettings: (patch) => messaging.sendMessage('saveSettings', patch),
  testConnection: (identity) => messaging.sendMessage('testConnection', { identity }),
  clearLocalData: () => messaging.sendMessage('clearLocalData', undefined),
  getSignInStatus: () => messaging.sendMessage('getSignInStatus', undefined),
  signIn: () => messaging.sendMessage('signIn', undefined),
  signOut: () => messaging.sendMessage('signOut', undefined),
  signInDynamics: () => messaging.sendMessage('signInDynamics', undefined),
  onSettingsChanged(callback) {
    // A new policy reaches the background first, which stores it; then the page re-reads.
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (area === 'managed' || (area === 'local' && POLICY_CACHE_KEY in changes)) callback();
    };
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  },
};

defineOptionsElements();
// The agent's browser language, as in the sidebar.
const translator = createTranslator(navigator.languages);
document.documentElement.lang = translator.locale;
const options = document.createElement('cc-options');
options.api = api;
options.translator = translator;
const detection = document.createElement('cc-detection-status');
detection.translator = translator;
detection.api = {
  status: (url) => messaging.sendMessage('detectionStatus', { url }),
  async grant(origins) {
    const granted = await browser.permissions.request({ origins });
    if (granted) await messaging.sendMessage('syncRuleScripts', undefined);
    return granted;
  },
};
const outbox = document.createElement('cc-outbox-panel');
outbox.translator = translator;
outbox.api = outboxMessages;
const audit = document.createElement('cc-audit-list');
audit.translator = translator;
audit.api = {
  entries: async () => (await messaging.sendMessage('getAuditLog', undefined)).entries,
};
options.append(detection, outbox, audit);
document.querySelector('main')?.append(options);
// Supervisors open the team's live calls from here (README, "Supervisors").
const liveCalls = document.createElement('p');
liveCalls.style.cssText = 'margin: 16px; font: 14px system-ui, sans-serif;';
const liveCallsLink = document.createElement('a');
liveCallsLink.href = 'live-calls.html';
liveCallsLink.textContent = translator.t('options.liveCalls');
liveCalls.append(liveCallsLink);
document.querySelector('main')?.append(liveCalls);
