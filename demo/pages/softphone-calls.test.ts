import { describe, expect, it } from 'vitest';
import {
  type Call,
  type CallClock,
  ENDED_RESET_MS,
  formatDuration,
  SoftphoneCalls,
} from './softphone-calls';

/** A clock the test moves by hand. */
function fakeClock() {
  let now = 1_700_000_000_000;
  let timers: { at: number; run: () => void; handle: number }[] = [];
  let next = 1;
  const clock: CallClock = {
    now: () => now,
    setTimeout: (run, ms) => {
      const handle = next++;
      timers.push({ at: now + ms, run, handle });
      return handle;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((timer) => timer.handle !== handle);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    const due = timers.filter((timer) => timer.at <= now);
    timers = timers.filter((timer) => timer.at > now);
    for (const timer of due) timer.run();
  };
  return { clock, advance };
}

function phone() {
  const { clock, advance } = fakeClock();
  const seen: Call[] = [];
  const calls = new SoftphoneCalls((call) => seen.push(call), clock);
  return { calls, advance, seen };
}

describe('SoftphoneCalls', () => {
  it('rings, connects, ends, and returns to idle after the reset delay', () => {
    const { calls, advance, seen } = phone();
    calls.ring('+44 20 7946 0123');
    expect(calls.call).toMatchObject({ state: 'ringing', number: '+44 20 7946 0123' });
    expect(calls.call.id).not.toBe('');

    advance(2000);
    calls.answer();
    expect(calls.call.state).toBe('connected');
    advance(42_000);
    calls.hangUp();
    expect(calls.call.state).toBe('ended');
    expect(formatDuration((calls.call.endedAt ?? 0) - (calls.call.connectedAt ?? 0))).toBe('00:42');

    advance(ENDED_RESET_MS - 1);
    expect(calls.call.state).toBe('ended');
    advance(1);
    expect(calls.call).toEqual({ state: 'idle', id: '', number: '' });
    expect(seen.map((call) => call.state)).toEqual(['ringing', 'connected', 'ended', 'idle']);
  });

  it('keeps the number exactly as rung', () => {
    const { calls } = phone();
    calls.ring('  (020) 7946-0123 ');
    expect(calls.call.number).toBe('  (020) 7946-0123 ');
  });

  it('replaces an active call with a new id when another one rings', () => {
    const { calls } = phone();
    calls.ring('+44 20 7946 0123');
    calls.answer();
    const first = calls.call.id;
    calls.ring('+1 415 555 0132');
    expect(calls.call).toMatchObject({ state: 'ringing', number: '+1 415 555 0132' });
    expect(calls.call.id).not.toBe(first);
    expect(calls.call.connectedAt).toBeUndefined();
  });

  it('does not let the previous call reset a call that rang during "Call ended"', () => {
    const { calls, advance } = phone();
    calls.ring('+44 20 7946 0123');
    calls.hangUp();
    advance(1000);
    calls.ring('+44 20 7946 0456');
    advance(ENDED_RESET_MS);
    expect(calls.call).toMatchObject({ state: 'ringing', number: '+44 20 7946 0456' });
  });

  it('ignores answer and hang-up when there is nothing to answer or hang up', () => {
    const { calls, seen } = phone();
    calls.answer();
    calls.hangUp();
    expect(seen).toEqual([]);
    calls.ring('+44 20 7946 0123');
    calls.hangUp();
    calls.answer();
    expect(calls.call.state).toBe('ended');
  });
});

describe('formatDuration', () => {
  it('shows minutes and seconds, and hours past the hour', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(61_999)).toBe('01:01');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
