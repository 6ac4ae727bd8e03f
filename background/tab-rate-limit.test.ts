import { describe, expect, it } from 'vitest';
import { createTabRateLimit } from './tab-rate-limit';

describe('tab rate limit', () => {
  it('lets a tab report up to its budget per window, then refuses until the window turns', () => {
    let now = 0;
    const limit = createTabRateLimit({ sightings: 3, newCalls: 1, windowMs: 1000 }, () => now);
    expect([1, 2, 3, 4].map(() => limit.allowSighting(7))).toEqual([true, true, true, false]);
    // Another tab has its own budget.
    expect(limit.allowSighting(8)).toBe(true);
    now = 1000;
    expect(limit.allowSighting(7)).toBe(true);
  });

  it('counts new calls apart from sightings', () => {
    let now = 0;
    const limit = createTabRateLimit({ sightings: 100, newCalls: 2, windowMs: 1000 }, () => now);
    expect(limit.canStartCall(1)).toBe(true);
    limit.startedCall(1);
    limit.startedCall(1);
    expect(limit.canStartCall(1)).toBe(false);
    expect(limit.canStartCall(2)).toBe(true);
    now = 5000;
    expect(limit.canStartCall(1)).toBe(true);
  });
});
