import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { OUTBOX_ALARM } from '../outbox-waker';
import { registerOutbox } from './outbox';

afterEach(() => {
  fakeBrowser.reset();
  vi.unstubAllGlobals();
});

function setup() {
  const windowListeners = new Map<string, () => void>();
  vi.stubGlobal('addEventListener', (type: string, listener: () => void) =>
    windowListeners.set(type, listener),
  );
  let drains = 0;
  registerOutbox({ browser: fakeBrowser, drainOutbox: () => void drains++ });
  return { drains: () => drains, windowListeners };
}

describe('outbox registration', () => {
  it('sends what the outbox holds at the start, on its alarm and when the network is back', async () => {
    const { drains, windowListeners } = setup();
    expect(drains()).toBe(1);
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'something-else', scheduledTime: 0 });
    expect(drains()).toBe(1);
    await fakeBrowser.alarms.onAlarm.trigger({ name: OUTBOX_ALARM, scheduledTime: 0 });
    expect(drains()).toBe(2);
    windowListeners.get('online')?.();
    expect(drains()).toBe(3);
  });
});
