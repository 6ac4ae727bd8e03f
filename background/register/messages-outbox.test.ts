import { describe, expect, it } from 'vitest';
import type { AfterCallEvent, WrapUpDraft } from '../../shared/after-call';
import { messagesWith, OWN_CONTENT_SCRIPT, OWN_PAGE, STRANGER } from '../test-support/messaging';

const EVENT: AfterCallEvent = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  type: 'call.logged',
  callId: 'call-1',
  identity: { namespace: 'phone', value: '+442079460123' },
  rawNumber: '+44 20 7946 0123',
  profile: null,
  disposition: { code: 'resolved', label: 'Resolved' },
  notes: '',
  ringingAt: '2025-03-01T10:00:00.000Z',
  endedAt: '2025-03-01T10:02:00.000Z',
  talkSeconds: 0,
  loggedAt: '2025-03-01T10:03:00.000Z',
};

function setup() {
  const asked: unknown[][] = [];
  const messages = messagesWith({
    wrapUp: {
      getWrapUp: async (callId) => {
        asked.push(['getWrapUp', callId]);
        return { draft: null, dispositions: [] };
      },
      saveWrapUpDraft: async (draft) => {
        asked.push(['saveWrapUpDraft', draft]);
        return { saved: true };
      },
      logCall: async (event) => {
        asked.push(['logCall', event]);
        return { saved: true, duplicate: false };
      },
      getOutboxStatus: async () => {
        asked.push(['getOutboxStatus']);
        return { pending: 0, sent: 0, failed: 0, failedEvents: [] };
      },
      retryFailed: async (ids) => {
        asked.push(['retryFailed', ids]);
        return { retried: 0 };
      },
      exportFailed: async () => {
        asked.push(['exportFailed']);
        return [];
      },
    },
  });
  return { ...messages, asked };
}

describe('wrap-up and outbox messages', () => {
  it('hands the wrap-up service what our pages sent, parsed', async () => {
    const { deliver, asked } = setup();
    await deliver('getWrapUp', { callId: 'call-1' }, OWN_PAGE);
    await deliver('getWrapUp', {} as { callId: string }, OWN_PAGE);
    await deliver('getOutboxStatus', undefined, OWN_PAGE);
    await deliver('retryFailed', { ids: ['evt-1'] }, OWN_PAGE);
    await deliver('retryFailed', {}, OWN_PAGE);
    await deliver('exportFailed', undefined, OWN_PAGE);
    expect(asked).toEqual([
      ['getWrapUp', 'call-1'],
      // No call id still answers the dispositions.
      ['getWrapUp', null],
      ['getOutboxStatus'],
      ['retryFailed', ['evt-1']],
      ['retryFailed', undefined],
      ['exportFailed'],
    ]);
  });

  it('refuses other senders and payloads that are not what they say, and hands nothing on', async () => {
    const { deliver, asked } = setup();
    for (const sender of [OWN_CONTENT_SCRIPT, STRANGER]) {
      await expect(deliver('logCall', EVENT, sender)).rejects.toThrow(
        'logCall: not from our pages',
      );
      await expect(
        deliver('saveWrapUpDraft', { callId: 'call-1' } as WrapUpDraft, sender),
      ).rejects.toThrow('saveWrapUpDraft: not from our pages');
      await expect(deliver('getOutboxStatus', undefined, sender)).rejects.toThrow(
        'not from our pages',
      );
    }
    expect(await deliver('logCall', { ...EVENT, id: 'not-a-uuid' }, OWN_PAGE)).toEqual({
      saved: false,
      error: 'id must be a UUID',
    });
    await expect(
      deliver('retryFailed', { ids: 'evt-1' } as unknown as { ids: string[] }, OWN_PAGE),
    ).rejects.toThrow('retryFailed: ids must be a list of event ids');
    expect(asked).toEqual([]);
  });
});
