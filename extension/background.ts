import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createCallerService } from '../background/caller-service';
import { createConfigStore } from '../background/config-store';
import { openDatabase } from '../background/db';
import { messaging } from '../shared/protocol';

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
  // Listeners first, synchronously, so the event that woke the worker is not missed.
  messaging.onMessage('reportCaller', ({ data, sender }) => service.reportCaller(data, sender));
  messaging.onMessage('getCurrentCall', ({ sender }) => service.getCurrentCall(sender));
  messaging.onMessage('sidebarPlacement', ({ sender }) => service.sidebarPlacement(sender));
  void config.refreshPolicy();
  void service.resume();
});
