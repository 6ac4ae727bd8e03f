import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createCallerService } from '../background/caller-service';
import { createConfigStore } from '../background/config-store';
import { openDatabase } from '../background/db';
import { createRuleScripts, type RuleScriptApis } from '../background/rule-scripts';
import { messaging } from '../shared/protocol';
import { detectorMatches, detectors } from './detect/registry';

export default defineBackground(() => {
  const config = createConfigStore(browser.storage);
  const service = createCallerService({
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    db: openDatabase(),
    config,
    broadcast: (session) => {
      // Rejects when no sidebar is open to hear it; the sidebar asks again when it opens.
      messaging.sendMessage('callChanged', session).catch(() => {});
    },
  });
  const ruleScripts = createRuleScripts({
    // chrome.* (not the polyfill): scripting and permissions return promises in MV3.
    apis: chrome as unknown as RuleScriptApis,
    config: () => config.get(),
    declaredMatches: detectorMatches,
    detectors,
  });
  const ownPage = (url: string | undefined) => (url ?? '').startsWith(browser.runtime.getURL('/'));
  const applyPlacement = async () => {
    const { config: current } = await config.get();
    // The side panel shows the same sidebar page; the toolbar button opens it.
    await chrome.sidePanel
      ?.setPanelBehavior({ openPanelOnActionClick: current.sidebarPlacement === 'sidePanel' })
      .catch(() => {});
  };
  const resync = () => {
    ruleScripts
      .sync()
      .catch((error: unknown) => console.error('Caller Context: rule scripts', error));
    void applyPlacement();
  };

  // Listeners first, synchronously, so the event that woke the worker is not missed.
  messaging.onMessage('reportCaller', ({ data, sender }) => service.reportCaller(data, sender));
  messaging.onMessage('getCurrentCall', ({ sender }) => service.getCurrentCall(sender));
  messaging.onMessage('getWaitingCalls', ({ sender }) => service.getWaitingCalls(sender));
  messaging.onMessage('wrapUpCall', ({ data, sender }) => service.wrapUpCall(data, sender));
  messaging.onMessage('sidebarPlacement', ({ sender }) => service.sidebarPlacement(sender));
  messaging.onMessage('detectionRules', async ({ sender }) => {
    if (sender.id !== browser.runtime.id || !sender.tab?.url) return { rules: [] };
    return ruleScripts.rulesFor(sender.tab.url);
  });
  messaging.onMessage('detectionStatus', async ({ data, sender }) => {
    if (!ownPage(sender.url)) throw new Error('detectionStatus: not from our pages');
    return ruleScripts.status(typeof data?.url === 'string' ? data.url : '');
  });
  messaging.onMessage('syncRuleScripts', async ({ sender }) => {
    if (!ownPage(sender.url)) throw new Error('syncRuleScripts: not from our pages');
    return { registered: await ruleScripts.sync() };
  });
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'local' || area === 'managed') resync();
  });
  void config.refreshPolicy().then(resync);
  void service.resume();
});
