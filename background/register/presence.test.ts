import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { PRESENCE_ALARM } from '../presence';
import { fakeEvent } from '../test-support/messaging';
import { registerPresence } from './presence';

afterEach(() => {
  fakeBrowser.reset();
});

function setup() {
  const calls: string[] = [];
  const onRemoved = fakeEvent<(windowId: number) => void>();
  registerPresence({
    browser: { alarms: fakeBrowser.alarms, windows: { onRemoved } },
    presence: {
      sync: async (reason) => void calls.push(`sync:${reason}`),
      schedule: async () => void calls.push('schedule'),
      windowClosed: async () => void calls.push('windowClosed'),
    },
  });
  return { calls, onRemoved };
}

describe('presence registration', () => {
  it('schedules the heartbeat and tells the state at the start', () => {
    const { calls } = setup();
    expect(calls).toEqual(['schedule', 'sync:change']);
  });

  it('tells the state on its own alarm only, and checks for the last window on a close', async () => {
    const { calls, onRemoved } = setup();
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'outbox', scheduledTime: 0 });
    await fakeBrowser.alarms.onAlarm.trigger({ name: PRESENCE_ALARM, scheduledTime: 0 });
    onRemoved.trigger(3);
    expect(calls.slice(2)).toEqual(['sync:heartbeat', 'windowClosed']);
  });
});
