import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
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
});
