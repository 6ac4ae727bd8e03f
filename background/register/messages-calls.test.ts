import { describe, expect, it } from 'vitest';
import type { CallSession } from '../../shared/call';
import { createActivityRefresh } from '../activity-refresh';
import { GatewayError } from '../gateway-client';
import { messagesWith, OWN_CONTENT_SCRIPT, OWN_PAGE, STRANGER } from '../test-support/messaging';

const SESSION: CallSession = {
  id: 'call-1',
  rawNumber: '+44 20 7946 0123',
  identity: { namespace: 'phone', value: '+442079460123' },
  state: 'connected',
  detector: 'demo-softphone',
  ringingAt: '2026-11-21T12:00:00.000Z',
  updatedAt: '2026-11-21T12:00:05.000Z',
  lookup: { status: 'pending' },
};

function setup(
  refresh: (callId: string) => Promise<CallSession | null> = async () => SESSION,
  stream: { alive: boolean } = { alive: false },
) {
  const checks: string[] = [];
  let clock = 0;
  const asked: unknown[][] = [];
  const followed: (string | null)[] = [];
  const published: CallSession[] = [];
  const activityRefresh = createActivityRefresh({
    liveActivity: {
      refresh: async (callId) => {
        checks.push('poll');
        return refresh(callId);
      },
      stamp: async () => {
        checks.push('stamp');
        return SESSION;
      },
    },
    liveStream: {
      follow: (callId) => void followed.push(callId),
      alive: () => stream.alive,
    },
    calls: { updated: (session) => void published.push(session) },
    now: () => clock,
  });
  const messages = messagesWith({
    callerService: {
      reportCaller: async (sighting, tabId) => {
        asked.push(['reportCaller', sighting, tabId]);
        return { accepted: true };
      },
      wrapUpCall: async (id) => {
        asked.push(['wrapUpCall', id]);
        return { wrappedUp: true };
      },
      retryLookup: async (callId) => {
        asked.push(['retryLookup', callId]);
        return { ok: true };
      },
      sidebarPlacement: async () => ({ mount: false }),
    },
    calls: {
      current: async () => {
        asked.push(['current']);
        return null;
      },
      waiting: async () => {
        asked.push(['waiting']);
        return [];
      },
      recent: async () => [],
      pickMatch: async (callId: string, profileId: string) => {
        asked.push(['pickMatch', callId, profileId]);
        return callId === 'call-1' && profileId === 'tessa'
          ? { ...SESSION, pickedProfileId: profileId }
          : undefined;
      },
    },
    activityRefresh,
  });
  return {
    ...messages,
    asked,
    followed,
    checks,
    published,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('call messages', () => {
  it('hands each call message to its service, parsed; the tab from the sender', async () => {
    const { deliver, asked } = setup();
    const sighting = { raw: '+44 20 7946 0123', state: 'ringing' as const, detector: 'demo' };
    expect(await deliver('reportCaller', sighting, OWN_CONTENT_SCRIPT)).toEqual({ accepted: true });
    expect(await deliver('getCurrentCall', undefined, OWN_PAGE)).toBeNull();
    expect(await deliver('getWaitingCalls', undefined, OWN_PAGE)).toEqual([]);
    expect(await deliver('wrapUpCall', { id: 'call-1' }, OWN_PAGE)).toEqual({ wrappedUp: true });
    expect(await deliver('retryLookup', { callId: 'call-1' }, OWN_PAGE)).toEqual({ ok: true });
    expect(asked).toEqual([
      ['reportCaller', sighting, 7],
      ['current'],
      ['waiting'],
      ['wrapUpCall', 'call-1'],
      ['retryLookup', 'call-1'],
    ]);
  });

  it('refuses call messages from the wrong context, and malformed ones, before any service', async () => {
    const { deliver, asked } = setup();
    const sighting = { raw: '+44 20 7946 0123', state: 'ringing' as const, detector: 'demo' };
    // A detector reports only from a tab; pages read calls only from our own pages.
    for (const sender of [OWN_PAGE, STRANGER, { ...STRANGER, tab: { id: 9 } }])
      await expect(deliver('reportCaller', sighting, sender)).rejects.toThrow(
        'reportCaller: not from a tab',
      );
    for (const sender of [OWN_CONTENT_SCRIPT, STRANGER]) {
      await expect(deliver('getCurrentCall', undefined, sender)).rejects.toThrow(
        'getCurrentCall: not from our pages',
      );
      await expect(deliver('getWaitingCalls', undefined, sender)).rejects.toThrow(
        'not from our pages',
      );
      await expect(deliver('wrapUpCall', { id: 'call-1' }, sender)).rejects.toThrow(
        'not from our pages',
      );
      await expect(deliver('retryLookup', { callId: 'call-1' }, sender)).rejects.toThrow(
        'not from our pages',
      );
    }
    expect(
      await deliver('reportCaller', { ...sighting, state: 'on hold' } as never, OWN_CONTENT_SCRIPT),
    ).toEqual({ accepted: false, error: 'state must be ringing, connected or ended' });
    expect(await deliver('wrapUpCall', { id: '' }, OWN_PAGE)).toEqual({ wrappedUp: false });
    expect(await deliver('wrapUpCall', { id: 'x'.repeat(65) }, OWN_PAGE)).toEqual({
      wrappedUp: false,
    });
    expect(await deliver('retryLookup', { callId: 'x'.repeat(65) }, OWN_PAGE)).toEqual({
      ok: false,
      error: 'callId is required',
    });
    expect(asked).toEqual([]);
  });

  it('refreshes the live activity and tells the sidebars of the changed call', async () => {
    const refreshed: string[] = [];
    const { deliver, published, followed } = setup(async (callId) => {
      refreshed.push(callId);
      return SESSION;
    });
    expect(await deliver('refreshActivity', { callId: 'call-1' }, OWN_PAGE)).toEqual({ ok: true });
    expect(refreshed).toEqual(['call-1']);
    // The live call's stream is (re)started from the sidebar's polls, after a worker restart too.
    expect(followed).toEqual(['call-1']);
    expect(published).toEqual([SESSION]);
  });

  it('refuses a refresh without a call id, from elsewhere, or that failed, in words', async () => {
    const { deliver, published, followed } = setup(async () => {
      throw new Error('The gateway did not answer in time.');
    });
    expect(await deliver('refreshActivity', {} as { callId: string }, OWN_PAGE)).toEqual({
      ok: false,
      error: 'callId is required',
    });
    await expect(deliver('refreshActivity', { callId: 'call-1' }, STRANGER)).rejects.toThrow(
      'refreshActivity: not from our pages',
    );
    await expect(
      deliver('refreshActivity', { callId: 'call-1' }, OWN_CONTENT_SCRIPT),
    ).rejects.toThrow('not from our pages');
    expect(await deliver('refreshActivity', { callId: 'call-1' }, OWN_PAGE)).toEqual({
      ok: false,
      error: 'The gateway did not answer in time.',
    });
    expect(published).toEqual([]);
    // Refused senders start nothing.
    expect(followed).toEqual(['call-1']);
  });

  it("passes a gateway failure's code along, for the sidebar to word in the agent's language", async () => {
    const { deliver } = setup(async () => {
      throw new GatewayError('The gateway answered 502.', undefined, false, {
        code: 'gatewayStatus',
        params: { status: '502' },
      });
    });
    expect(await deliver('refreshActivity', { callId: 'call-1' }, OWN_PAGE)).toEqual({
      ok: false,
      error: 'The gateway answered 502.',
      problem: { code: 'gatewayStatus', params: { status: '502' } },
    });
  });

  it("hands the agent's pick among several customers to the call state", async () => {
    const { deliver, asked } = setup();
    expect(await deliver('pickMatch', { callId: 'call-1', profileId: 'tessa' }, OWN_PAGE)).toEqual({
      ok: true,
    });
    expect(asked).toEqual([['pickMatch', 'call-1', 'tessa']]);
    expect(await deliver('pickMatch', { callId: 'call-1', profileId: 'nobody' }, OWN_PAGE)).toEqual(
      {
        ok: false,
        error: 'No such customer among the call’s matches.',
      },
    );
    expect(
      await deliver(
        'pickMatch',
        { callId: 'call-1' } as { callId: string; profileId: string },
        OWN_PAGE,
      ),
    ).toEqual({ ok: false, error: 'callId and profileId are required' });
    await expect(
      deliver('pickMatch', { callId: 'call-1', profileId: 'tessa' }, OWN_CONTENT_SCRIPT),
    ).rejects.toThrow('pickMatch: not from our pages');
  });

  it('while the stream is alive, asks the gateway once in 15 s and only stamps the 2 s refreshes', async () => {
    const stream = { alive: false };
    const { deliver, checks, advance, published } = setup(undefined, stream);
    const refresh = () => deliver('refreshActivity', { callId: 'call-1' }, OWN_PAGE);
    await refresh(); // no stream yet: a poll
    stream.alive = true;
    for (let i = 0; i < 7; i++) {
      advance(2_000);
      await refresh();
    }
    // 14 s after the last poll: stamps only; at 16 s the safety poll.
    advance(2_000);
    await refresh();
    expect(checks).toEqual(['poll', ...Array(7).fill('stamp'), 'poll']);
    // The stream went quiet (a buffering proxy, a dead connection): polls every time again.
    stream.alive = false;
    advance(2_000);
    await refresh();
    advance(2_000);
    await refresh();
    expect(checks.slice(-2)).toEqual(['poll', 'poll']);
    // Every refresh still tells the sidebars, so the freshness stamp moves on.
    expect(published).toHaveLength(checks.length);
  });
});
