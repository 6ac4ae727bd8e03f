import { describe, expect, it } from 'vitest';
import type { CallSession } from '../../shared/call';
import { GatewayError } from '../gateway-client';
import { type CallsDeps, registerCalls } from './calls';
import { fakeMessaging, OWN_CONTENT_SCRIPT, OWN_PAGE, SELF, STRANGER } from './fakes';

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
  refresh: CallsDeps['liveActivity']['refresh'] = async () => SESSION,
  stream: { alive: boolean } = { alive: false },
) {
  const messages = fakeMessaging();
  const checks: string[] = [];
  let clock = 0;
  const asked: { what: string; data: unknown; sender: unknown }[] = [];
  let resumed = 0;
  const followed: (string | null)[] = [];
  const record =
    <T>(what: string, answer: T) =>
    async (data: unknown, sender?: unknown) => {
      asked.push({ what, data, sender });
      return answer;
    };
  registerCalls({
    messaging: messages.messaging,
    self: SELF,
    callerService: {
      reportCaller: record('reportCaller', { accepted: true }),
      getCurrentCall: (sender) => record('getCurrentCall', null)(undefined, sender),
      getWaitingCalls: (sender) => record('getWaitingCalls', [])(undefined, sender),
      wrapUpCall: record('wrapUpCall', { wrappedUp: true }),
      retryLookup: record('retryLookup', { ok: true }),
      resume: async () => void resumed++,
    },
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
    now: () => clock,
    recentCalls: Promise.resolve({
      pickMatch: async (callId: string, profileId: string) =>
        callId === 'call-1' && profileId === 'tessa'
          ? { ...SESSION, pickedProfileId: profileId }
          : undefined,
    }),
  });
  return {
    ...messages,
    asked,
    followed,
    checks,
    resumed: () => resumed,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('calls registration', () => {
  it('resumes the calls of the last run as the worker starts', () => {
    expect(setup().resumed()).toBe(1);
  });

  it('hands each call message to the caller service with its sender, which checks it', async () => {
    const { deliver, asked } = setup();
    const sighting = { raw: '+44 20 7946 0123', state: 'ringing' as const, detector: 'demo' };
    expect(await deliver('reportCaller', sighting, OWN_CONTENT_SCRIPT)).toEqual({ accepted: true });
    expect(await deliver('getCurrentCall', undefined, OWN_PAGE)).toBeNull();
    expect(await deliver('getWaitingCalls', undefined, OWN_PAGE)).toEqual([]);
    expect(await deliver('wrapUpCall', { id: 'call-1' }, OWN_PAGE)).toEqual({ wrappedUp: true });
    expect(await deliver('retryLookup', { callId: 'call-1' }, OWN_PAGE)).toEqual({ ok: true });
    expect(asked).toEqual([
      { what: 'reportCaller', data: sighting, sender: OWN_CONTENT_SCRIPT },
      { what: 'getCurrentCall', data: undefined, sender: OWN_PAGE },
      { what: 'getWaitingCalls', data: undefined, sender: OWN_PAGE },
      { what: 'wrapUpCall', data: { id: 'call-1' }, sender: OWN_PAGE },
      { what: 'retryLookup', data: { callId: 'call-1' }, sender: OWN_PAGE },
    ]);
  });

  it('refreshes the live activity and tells the sidebars of the changed call', async () => {
    const refreshed: string[] = [];
    const { deliver, sent, followed } = setup(async (callId) => {
      refreshed.push(callId);
      return SESSION;
    });
    expect(await deliver('refreshActivity', { callId: 'call-1' }, OWN_PAGE)).toEqual({ ok: true });
    expect(refreshed).toEqual(['call-1']);
    // The live call's stream is (re)started from the sidebar's polls, after a worker restart too.
    expect(followed).toEqual(['call-1']);
    expect(sent).toEqual([{ type: 'callChanged', data: SESSION }]);
  });

  it('refuses a refresh without a call id, from elsewhere, or that failed, in words', async () => {
    const { deliver, sent, followed } = setup(async () => {
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
    expect(sent).toEqual([]);
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

  it("keeps the agent's pick among several customers, and follows that customer's stream", async () => {
    const { deliver, sent, followed } = setup();
    expect(await deliver('pickMatch', { callId: 'call-1', profileId: 'tessa' }, OWN_PAGE)).toEqual({
      ok: true,
    });
    expect(sent).toEqual([{ type: 'callChanged', data: { ...SESSION, pickedProfileId: 'tessa' } }]);
    expect(followed).toEqual([null, 'call-1']);
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
    const { deliver, checks, advance, sent } = setup(undefined, stream);
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
    expect(sent.filter((m) => m.type === 'callChanged')).toHaveLength(checks.length);
  });
});
