import { OUTBOX_ALARM } from '../outbox-waker';
import type { BackgroundMessaging, BrowserEvent } from '../services';
import type { createWrapUpService } from '../wrap-up-service';

export interface OutboxDeps {
  browser: { alarms: { onAlarm: BrowserEvent<(alarm: { name: string }) => void> } };
  messaging: BackgroundMessaging;
  wrapUp: Pick<
    ReturnType<typeof createWrapUpService>,
    'getWrapUp' | 'saveWrapUpDraft' | 'logCall' | 'getOutboxStatus' | 'retryFailed' | 'exportFailed'
  >;
  /** Sends what the outbox holds; never rejects (failures are reported where they happen). */
  drainOutbox: () => void;
}

/**
 * After-call work: the wrap-up form's messages, and the outbox sent whenever the worker wakes
 * (its alarm, the network coming back, this start).
 */
export function registerOutbox({ browser, messaging, wrapUp, drainOutbox }: OutboxDeps): void {
  messaging.onMessage('getWrapUp', ({ data, sender }) => wrapUp.getWrapUp(data, sender));
  messaging.onMessage('saveWrapUpDraft', ({ data, sender }) =>
    wrapUp.saveWrapUpDraft(data, sender),
  );
  messaging.onMessage('logCall', ({ data, sender }) => wrapUp.logCall(data, sender));
  messaging.onMessage('getOutboxStatus', ({ sender }) => wrapUp.getOutboxStatus(sender));
  messaging.onMessage('retryFailed', ({ data, sender }) => wrapUp.retryFailed(data, sender));
  messaging.onMessage('exportFailed', ({ sender }) => wrapUp.exportFailed(sender));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) drainOutbox();
  });
  globalThis.addEventListener('online', drainOutbox);

  drainOutbox();
}
