import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createCallerService } from '../background/caller-service';
import { createConfigStore } from '../background/config-store';
import { openDatabase } from '../background/db';
import { requireOwnPage } from '../background/senders';
import { createSettingsService } from '../background/settings-service';
import { messaging } from '../shared/protocol';

export default defineBackground(() => {
  const config = createConfigStore(browser.storage);
  const self = { extensionId: browser.runtime.id, extensionOrigin: browser.runtime.getURL('/') };
  const db = openDatabase();
  const settings = createSettingsService({ storage: browser.storage, config, db });
  const service = createCallerService({
    ...self,
    db,
    config,
    broadcast: (session) => {
      // Rejects when no sidebar is open to hear it; the sidebar asks again when it opens.
      messaging.sendMessage('callChanged', session).catch(() => {});
    },
  });
  // Listeners first, synchronously, so the event that woke the worker is not missed.
  messaging.onMessage('reportCaller', ({ data, sender }) => service.reportCaller(data, sender));
  messaging.onMessage('getCurrentCall', ({ sender }) => service.getCurrentCall(sender));
  messaging.onMessage('sidebarPlacement', ({ sender }) => service.sidebarPlacement(sender));
  messaging.onMessage('getSettings', ({ sender }) => {
    requireOwnPage(sender, self, 'getSettings');
    return settings.view();
  });
  messaging.onMessage('saveSettings', ({ data, sender }) => {
    requireOwnPage(sender, self, 'saveSettings');
    return settings.save(data);
  });
  messaging.onMessage('testConnection', ({ data, sender }) => {
    requireOwnPage(sender, self, 'testConnection');
    return settings.testConnection(data?.identity);
  });
  messaging.onMessage('clearLocalData', ({ sender }) => {
    requireOwnPage(sender, self, 'clearLocalData');
    return settings.clearLocalData();
  });
  void config.refreshPolicy();
  void service.resume();
});
