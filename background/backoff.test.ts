import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, backoffDelay, parseRetryAfter, RETRY_AFTER_CAP_MS } from './backoff';

describe('backoffDelay', () => {
  it('doubles from about a second and stops at five minutes', () => {
    const lowest = [1, 2, 3, 4, 5, 10, 20].map((n) => backoffDelay(n, () => 0));
    const highest = [1, 2, 3, 4, 5, 10, 20].map((n) => backoffDelay(n, () => 1));
    expect(lowest).toEqual([500, 1000, 2000, 4000, 8000, 150_000, 150_000]);
    expect(highest).toEqual([1000, 2000, 4000, 8000, 16_000, BACKOFF_CAP_MS, BACKOFF_CAP_MS]);
  });

  it('spreads retries between half and all of the step (jitter)', () => {
    const samples = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    for (const delay of samples) {
      expect(delay).toBeGreaterThanOrEqual(4000);
      expect(delay).toBeLessThanOrEqual(8000);
    }
    expect(samples.size).toBeGreaterThan(10);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T10:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read and caps what is absurd', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('86400', now)).toBe(RETRY_AFTER_CAP_MS);
  });
});
