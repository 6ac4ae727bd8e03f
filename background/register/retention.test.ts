import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { AGENT_SETTINGS_KEY } from '../config-store';
import { RETENTION_ALARM } from '../retention';
import { registerRetention } from './retention';

afterEach(() => {
  fakeBrowser.reset();
});

function setup() {
  const asked: string[] = [];
  registerRetention({
    browser: fakeBrowser,
    retention: {
      run: async () => void asked.push('run'),
      soon: () => void asked.push('soon'),
    },
  });
  return asked;
}

describe('retention registration', () => {
  it('deletes what is due at the start and on its own alarm only', async () => {
    const asked = setup();
    expect(asked).toEqual(['run']);
    await fakeBrowser.alarms.onAlarm.trigger({ name: 'outbox', scheduledTime: 0 });
    expect(asked).toEqual(['run']);
    await fakeBrowser.alarms.onAlarm.trigger({ name: RETENTION_ALARM, scheduledTime: 0 });
    expect(asked).toEqual(['run', 'run']);
  });

  it('looks again soon when the policy or the agent settings change, not for other storage', async () => {
    const asked = setup();
    await fakeBrowser.storage.local.set({ sidebarLayout: { width: 400 } });
    expect(asked).toEqual(['run']);
    await fakeBrowser.storage.local.set({ [AGENT_SETTINGS_KEY]: { callDataRetentionHours: 1 } });
    expect(asked).toEqual(['run', 'soon']);
    await fakeBrowser.storage.managed.set({ callDataRetentionHours: 2 });
    expect(asked).toEqual(['run', 'soon', 'soon']);
  });
});
