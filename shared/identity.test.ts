import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone, parseIdentity, phoneLookupVariants } from './identity';

describe('normalizePhone', () => {
  it.each([
    ['+44 20 7946 0958', undefined, '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['020 7946 0958', 'gb', '+442079460958'],
    ['(415) 555-0100', 'US', '+14155550100'],
    ['0044 20 7946 0958', undefined, '+442079460958'],
    ['tel:+44-20-7946-0958', undefined, '+442079460958'],
    ['TEL:+44-20-7946-0958;phone-context=example.com', undefined, '+442079460958'],
    ['  +44 20 7946 0958  ', undefined, '+442079460958'],
    // An international number wins over the agent's default region.
    ['+1 415 555 0100', 'GB', '+14155550100'],
    // What pages do to numbers: a trunk zero in brackets, non-breaking spaces and hyphens,
    // full-width digits, bidi marks in a right-to-left page, SIP URIs from softphones.
    ['+44 (0)20 7946 0958', undefined, '+442079460958'],
    ['+44\u00a020\u00a07946\u00a00958', undefined, '+442079460958'],
    ['+44\u201120\u20117946\u20110958', undefined, '+442079460958'],
    [
      '\uff0b\uff14\uff14 \uff12\uff10 \uff17\uff19\uff14\uff16 \uff10\uff19\uff15\uff18',
      undefined,
      '+442079460958',
    ],
    ['\u202a+44 20 7946 0958\u202c', undefined, '+442079460958'],
    ['sip:+442079460958@connect.example.com', undefined, '+442079460958'],
    ['sip:02079460958@pbx.example.com;user=phone', 'GB', '+442079460958'],
    ['0044 (0)20 7946 0958', undefined, '+442079460958'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
  ])('reads %j (region %s) as %s', (raw, region, expected) => {
    expect(normalizePhone(raw, region)).toEqual({ ok: true, value: expected });
  });

  it('drops an extension', () => {
    expect(normalizePhone('+1 415 555 0100 ext. 12')).toEqual({ ok: true, value: '+14155550100' });
    expect(normalizePhone('+1 415 555 0100 x12')).toEqual({ ok: true, value: '+14155550100' });
  });

  it('accepts a number written with its country code that the metadata does not know yet', () => {
    expect(normalizePhone('+447700900123')).toEqual({ ok: true, value: '+447700900123' });
  });

  it.each([
    ['hello', 'GB'],
    ['12', 'GB'],
    ['12', undefined],
    ['+44 12', undefined],
    ['+44 12', 'GB'],
    ['', 'GB'],
    ['   ', 'GB'],
    ['+44 20 7946 0958 call me', undefined],
    ['1'.repeat(100), 'GB'],
    [`+44 20 7946 0958${' '.repeat(90)}1`, undefined],
    // Things on an agent's screen that are not phone numbers.
    ['2024-01-15', 'GB'],
    ['12:30:45', 'GB'],
    ['ORD-1234567890', 'GB'],
    ['sip:agent.smith@example.com', 'GB'],
    ['jane@example.com', 'GB'],
    ['£1,234.56', 'GB'],
  ])('rejects %j (region %s)', (raw, region) => {
    const result = normalizePhone(raw, region);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).not.toBe('');
  });

  it('refuses a national number when no default region is set', () => {
    const result = normalizePhone('020 7946 0958');
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/no default region/) });
  });

  it('refuses a national number when the default region is not a region', () => {
    expect(normalizePhone('020 7946 0958', 'XX').ok).toBe(false);
  });

  it('refuses a national number that is not valid in the default region', () => {
    // Possible length for the US, but 555-01xx in area code 123 does not exist.
    expect(normalizePhone('(123) 555-0100', 'US').ok).toBe(false);
  });

  it('answers with an error, never throws, on a malformed tel: URI from a page', () => {
    // The raw text comes from an untrusted page; decodeURIComponent throws URIError on "%E0".
    expect(() => normalizePhone('tel:%E0%A4%A')).not.toThrow();
    expect(normalizePhone('tel:%E0%A4%A').ok).toBe(false);
  });
});

describe('phoneLookupVariants', () => {
  it('lists the forms an exact-match back end may hold, E.164 first', () => {
    expect(phoneLookupVariants('+442079460958')).toEqual([
      '+442079460958',
      '442079460958',
      '00442079460958',
      '+44 20 7946 0958',
      '020 7946 0958',
      '02079460958',
      '2079460958',
    ]);
  });

  it('has no trunk prefix to add for a US number and repeats nothing', () => {
    const variants = phoneLookupVariants('+14155550100');
    expect(variants).toEqual([
      '+14155550100',
      '14155550100',
      '0014155550100',
      '+1 415 555 0100',
      '(415) 555-0100',
      '4155550100',
    ]);
    expect(new Set(variants).size).toBe(variants.length);
  });

  it('gives nothing for what is not an E.164 number', () => {
    expect(phoneLookupVariants('020 7946 0958')).toEqual([]);
    expect(phoneLookupVariants('hello')).toEqual([]);
    expect(phoneLookupVariants('')).toEqual([]);
  });
});

describe('normalizeEmail', () => {
  it('lower-cases and trims an address', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toEqual({
      ok: true,
      value: 'jane.doe@example.com',
    });
  });

  it('strips mailto:', () => {
    expect(normalizeEmail('mailto:Jane@Example.com')).toEqual({
      ok: true,
      value: 'jane@example.com',
    });
  });

  it.each([
    'jane',
    'jane@example',
    'jane@@example.com',
    'jane doe@example.com',
    '<jane@example.com>',
    `${'a'.repeat(250)}@example.com`,
  ])('rejects %j', (raw) => {
    expect(normalizeEmail(raw).ok).toBe(false);
  });
});

describe('parseIdentity', () => {
  it('reads a phone identity in E.164', () => {
    expect(parseIdentity('phone:+442079460958')).toEqual({
      ok: true,
      value: { namespace: 'phone', value: '+442079460958' },
    });
  });

  it('reads an email identity and lower-cases it', () => {
    expect(parseIdentity('email:jane@example.com')).toEqual({
      ok: true,
      value: { namespace: 'email', value: 'jane@example.com' },
    });
    expect(parseIdentity('EMAIL:Jane@Example.com')).toEqual({
      ok: true,
      value: { namespace: 'email', value: 'jane@example.com' },
    });
  });

  it('keeps a platform namespace value as given', () => {
    expect(parseIdentity('ecid:ABC:123')).toEqual({
      ok: true,
      value: { namespace: 'ecid', value: 'ABC:123' },
    });
  });

  it.each([
    'phone:12',
    'phone:020 7946 0958',
    'phone:+44 12',
    'nonsense',
    ':value',
    'email:jane',
    'ecid:',
    '1abc:value',
    `ecid:${'x'.repeat(257)}`,
  ])('rejects %j', (text) => {
    const result = parseIdentity(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).not.toBe('');
  });
});
