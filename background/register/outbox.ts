import { OUTBOX_ALARM } from '../outbox-waker';
import type { BrowserEvent } from '../services';

export interface OutboxDeps {
  browser: { alarms: { onAlarm: BrowserEvent<(alarm: { name: string }) => void> } };
  /** Sends what the outbox holds; never rejects (failures are reported where they happen). */
  drainOutbox: () => void;
}

/**
 * After-call events: the outbox is sent whenever the worker wakes (its alarm, the network coming
 * back, this start). The wrap-up form's messages are in background/messages.ts.
 */
export function registerOutbox({ browser, drainOutbox }: OutboxDeps): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) drainOutbox();
  });
  globalThis.addEventListener('online', drainOutbox);

  drainOutbox();
}
