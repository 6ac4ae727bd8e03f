import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { AfterCallEvent } from '../../shared/after-call';
import { OUTBOX_ALARM } from '../outbox-waker';
import { fakeMessaging, OWN_PAGE } from './fakes';
import { registerOutbox } from './outbox';

afterEach(() => {
  fakeBrowser.reset();
  vi.unstubAllGlobals();
});

function setup() {
  const messages = fakeMessaging();
  const windowListeners = new Map<string, () => void>();
  vi.stubGlobal('addEventListener', (type: string, listener: () => void) =>
    windowListeners.set(type, listener),
  );
  const asked: { what: string; data?: unknown; sender: unknown }[] = [];
  let drains = 0;
  registerOutbox({
    browser: fakeBrowser,
    messaging: messages.messaging,
    wrapUp: {
      getWrapUp: async (data, sender) => {
        asked.push({ what: 'getWrapUp', data, sender });
        return { draft: null, dispositions: [] };
      },
      saveWrapUpDraft: async (data, sender) => {
        asked.push({ what: 'saveWrapUpDraft', data, sender });
        return { saved: true };
      },
      logCall: async (data, sender) => {
        asked.push({ what: 'logCall', data, sender });
        return { saved: true, duplicate: false };
      },
      getOutboxStatus: async (sender) => {
        asked.push({ what: 'getOutboxStatus', sender });
        return { pending: 0, sent: 0, failed: 0, failedEvents: [] };
      },
      retryFailed: async (data, sender) => {
        asked.push({ what: 'retryFailed', data, sender });
        return { retried: 0 };
      },
      exportFailed: async (sender) => {
        asked.push({ what: 'exportFailed', sender });
        return [];
      },
    },
    drainOutbox: () => void drains++,
  });
  return { ...messages, asked, drains: () => drains, windowListeners };
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

  it('hands the wrap-up messages to the wrap-up service with their senders, which checks them', async () => {
    const { deliver, asked } = setup();
    const event = { id: 'evt-1' } as AfterCallEvent;
    await deliver('getWrapUp', { callId: 'call-1' }, OWN_PAGE);
    await deliver('logCall', event, OWN_PAGE);
    await deliver('getOutboxStatus', undefined, OWN_PAGE);
    await deliver('retryFailed', { ids: ['evt-1'] }, OWN_PAGE);
    await deliver('exportFailed', undefined, OWN_PAGE);
    expect(asked.map(({ what, data, sender }) => [what, data, sender])).toEqual([
      ['getWrapUp', { callId: 'call-1' }, OWN_PAGE],
      ['logCall', event, OWN_PAGE],
      ['getOutboxStatus', undefined, OWN_PAGE],
      ['retryFailed', { ids: ['evt-1'] }, OWN_PAGE],
      ['exportFailed', undefined, OWN_PAGE],
    ]);
  });
});
