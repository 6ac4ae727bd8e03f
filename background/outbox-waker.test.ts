import { describe, expect, it } from 'vitest';
import { createOutboxWaker, OUTBOX_ALARM } from './outbox-waker';

function fakes() {
  const alarms: { name: string; when: number }[] = [];
  const cleared: string[] = [];
  const timers = new Map<number, { run: () => void; ms: number }>();
  let nextTimer = 0;
  let drains = 0;
  const wake = createOutboxWaker({
    alarms: {
      create: async (name, info) => {
        alarms.push({ name, when: info.when });
      },
      clear: async (name) => {
        cleared.push(name);
        return true;
      },
    },
    drain: () => {
      drains++;
    },
    now: () => 100_000,
    setTimer: (run, ms) => {
      timers.set(++nextTimer, { run, ms });
      return nextTimer;
    },
    clearTimer: (timer) => timers.delete(timer as number),
  });
  return { wake, alarms, cleared, timers, drains: () => drains };
}

describe('outbox waker', () => {
  it('sets a timer for the exact time and an alarm that survives the worker', () => {
    const f = fakes();
    f.wake(101_500);
    expect([...f.timers.values()].map((t) => t.ms)).toEqual([1500]);
    expect(f.alarms).toEqual([{ name: OUTBOX_ALARM, when: 101_500 }]);
    [...f.timers.values()][0]?.run();
    expect(f.drains()).toBe(1);
  });

  it('keeps one timer: a new time replaces the old one', () => {
    const f = fakes();
    f.wake(160_000);
    f.wake(102_000);
    expect([...f.timers.values()].map((t) => t.ms)).toEqual([2000]);
  });

  it('clears the alarm when nothing is left to send', () => {
    const f = fakes();
    f.wake(105_000);
    f.wake(null);
    expect(f.timers.size).toBe(0);
    expect(f.cleared).toEqual([OUTBOX_ALARM]);
  });
});
