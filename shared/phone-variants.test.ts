import { describe, expect, it } from 'vitest';
import { phoneLookupVariants } from './phone-variants';

describe('phoneLookupVariants', () => {
  it('gives E.164 first, then national, international, digits and no country code', () => {
    expect(phoneLookupVariants('+442079460123')).toEqual([
      '+442079460123',
      '020 7946 0123',
      '+44 20 7946 0123',
      '442079460123',
      '02079460123',
      '2079460123',
    ]);
  });

  it('has no duplicates where forms coincide (no trunk prefix in the US)', () => {
    const variants = phoneLookupVariants('+12025550143');
    expect(variants).toContain('(202) 555-0143');
    expect(variants).toContain('2025550143');
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('passes through what it cannot parse', () => {
    expect(phoneLookupVariants('+999')).toEqual(['+999']);
  });
});
