import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './stats';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(10);
    expect(percentile(sorted, 95)).toBe(19);
    expect(percentile(sorted, 100)).toBe(20);
    expect(percentile([7], 95)).toBe(7);
  });

  it('summarizes an unsorted sample', () => {
    expect(summarize([30, 10, 20, 40])).toEqual({ n: 4, median: 20, p95: 40, min: 10, max: 40 });
  });

  it('refuses an empty sample', () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
  });
});
