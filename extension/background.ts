import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createCallerService } from '../background/caller-service';
import { createConfigStore } from '../background/config-store';
import { openDatabase } from '../background/db';
import { createOutbox } from '../background/outbox';
import { createOutboxWaker, OUTBOX_ALARM } from '../background/outbox-waker';
import { createWrapUpService, reportDrainFailure } from '../background/wrap-up-service';
import { messaging } from '../shared/protocol';

export default defineBackground(() => {
  const config = createConfigStore(browser.storage);
  const db = openDatabase();
  const service = createCallerService({
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
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

  // After-call events: the outbox sends them whenever it wakes (an alarm, a timer, the network
  // coming back, this worker starting) and keeps nothing in memory between wake-ups.
  const drain = () => void outbox.drain().catch(reportDrainFailure);
  const wake = createOutboxWaker({ alarms: browser.alarms, drain });
  let statusQueued = false;
  const outbox = createOutbox({
    db,
    gateway: async () => (await config.get()).config,
    wake,
    changed: () => {
      // Many changes in a burst (a backlog draining) become one message to the sidebars.
      if (statusQueued) return;
      statusQueued = true;
      setTimeout(() => {
        statusQueued = false;
        outbox
          .status()
          .then((status) => messaging.sendMessage('outboxChanged', status))
          .catch(() => {});
      }, 250);
    },
  });
  const wrapUp = createWrapUpService({
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    db,
    config,
    outbox,
    broadcast: (session) => {
      messaging.sendMessage('callChanged', session).catch(() => {});
    },
  });
  messaging.onMessage('getWrapUp', ({ data, sender }) => wrapUp.getWrapUp(data, sender));
  messaging.onMessage('saveWrapUpDraft', ({ data, sender }) =>
    wrapUp.saveWrapUpDraft(data, sender),
  );
  messaging.onMessage('logCall', ({ data, sender }) => wrapUp.logCall(data, sender));
  messaging.onMessage('getOutboxStatus', ({ sender }) => wrapUp.getOutboxStatus(sender));
  messaging.onMessage('retryFailed', ({ data, sender }) => wrapUp.retryFailed(data, sender));
  messaging.onMessage('exportFailed', ({ sender }) => wrapUp.exportFailed(sender));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) drain();
  });
  globalThis.addEventListener('online', drain);

  void config.refreshPolicy();
  void service.resume();
  drain();
});
