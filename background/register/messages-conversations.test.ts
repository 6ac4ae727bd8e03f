import { describe, expect, it } from 'vitest';
import type { ConversationService } from '../conversations';
import { messagesWith, OWN_CONTENT_SCRIPT, OWN_PAGE, STRANGER } from '../test-support/messaging';

/** A conversation service that records what the registration hands it. */
function recordingService() {
  const calls: unknown[][] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return { ok: true as const };
    };
  const service = {
    follow: async (callId: string) => {
      calls.push(['follow', callId]);
      return null;
    },
    sharePick: record('sharePick'),
    addNote: record('addNote'),
    handOver: record('handOver'),
    liveCalls: async () => ({ ok: true as const, live: { agents: [], calls: [] } }),
    monitor: record('monitor'),
    following: () => [],
    stop: () => {},
  } as unknown as ConversationService;
  return { service, calls };
}

function setup() {
  const { service, calls } = recordingService();
  const messages = messagesWith({ conversations: service });
  return { messages, calls };
}

describe('conversation messages', () => {
  it('answer only our own pages: never a content script or a web page', async () => {
    const { messages, calls } = setup();
    for (const sender of [OWN_CONTENT_SCRIPT, STRANGER]) {
      await expect(
        messages.deliver('followConversation', { callId: 'c1' }, sender),
      ).rejects.toThrow(/not from our pages/);
      await expect(
        messages.deliver('addConversationNote', { callId: 'c1', text: 'hi' }, sender),
      ).rejects.toThrow(/not from our pages/);
      await expect(messages.deliver('getLiveCalls', undefined, sender)).rejects.toThrow(
        /not from our pages/,
      );
      await expect(
        messages.deliver('monitorCall', { conversationId: 'abc' }, sender),
      ).rejects.toThrow(/not from our pages/);
    }
    expect(calls).toEqual([]);
  });

  it('check what the page sends before the gateway hears of it', async () => {
    const { messages, calls } = setup();
    const note = (text: unknown) =>
      messages.deliver('addConversationNote', { callId: 'c1', text } as never, OWN_PAGE);
    expect(await note('   ')).toMatchObject({ ok: false });
    expect(await note('x'.repeat(2001))).toMatchObject({ ok: false });
    expect(await note(42)).toMatchObject({ ok: false });
    expect(await note('  Customer on hold  ')).toEqual({ ok: true });
    expect(
      await messages.deliver(
        'handOverCall',
        { callId: 'c1', note: 'over', wrapUp: { disposition: 3 } } as never,
        OWN_PAGE,
      ),
    ).toMatchObject({ ok: false });
    expect(
      await messages.deliver(
        'handOverCall',
        { callId: 'c1', note: ' over ', wrapUp: { disposition: 'resolved', notes: 'done' } },
        OWN_PAGE,
      ),
    ).toEqual({ ok: true });
    expect(
      await messages.deliver('monitorCall', { conversationId: '../../etc' }, OWN_PAGE),
    ).toMatchObject({ ok: false });
    expect(await messages.deliver('followConversation', { callId: 'a b' }, OWN_PAGE)).toBeNull();
    expect(
      await messages.deliver('shareConversationPick', { callId: 'c1', profileId: 'p2' }, OWN_PAGE),
    ).toEqual({ ok: true });
    expect(calls).toEqual([
      ['addNote', 'c1', 'Customer on hold'],
      ['handOver', 'c1', 'over', { disposition: 'resolved', notes: 'done' }],
      ['sharePick', 'c1', 'p2'],
    ]);
  });
});
