import { describe, expect, it } from 'vitest';
import { type MatchPattern, matchesAny, parseMatchPattern, patternCovers } from './match-pattern';

function pattern(source: string): MatchPattern {
  const parsed = parseMatchPattern(source);
  if (parsed instanceof Error) throw parsed;
  return parsed;
}

describe('parseMatchPattern', () => {
  it('keeps its source', () => {
    expect(pattern('https://crm.example.com/*').source).toBe('https://crm.example.com/*');
  });

  it('matches any port when the pattern has none, as Chrome does', () => {
    const p = pattern('http://127.0.0.1/crm*');
    expect(p.test('http://127.0.0.1/crm')).toBe(true);
    expect(p.test('http://127.0.0.1:5173/crm/case/42')).toBe(true);
    expect(p.test('http://127.0.0.1:8787/other')).toBe(false);
  });

  it('matches only the given port when the pattern has one', () => {
    const p = pattern('http://localhost:5173/*');
    expect(p.test('http://localhost:5173/softphone')).toBe(true);
    expect(p.test('http://localhost:8080/softphone')).toBe(false);
    expect(p.test('http://localhost/softphone')).toBe(false);
  });

  it('matches the domain and its subdomains with *.', () => {
    const p = pattern('https://*.example.com/*');
    expect(p.test('https://example.com/')).toBe(true);
    expect(p.test('https://crm.example.com/x')).toBe(true);
    expect(p.test('https://a.b.example.com/x')).toBe(true);
    expect(p.test('https://notexample.com/')).toBe(false);
    expect(p.test('https://example.com.evil.test/')).toBe(false);
  });

  it('matches exactly the host when there is no wildcard', () => {
    const p = pattern('https://crm.example.com/*');
    expect(p.test('https://crm.example.com/a')).toBe(true);
    expect(p.test('https://www.crm.example.com/a')).toBe(false);
    expect(p.test('https://crm.example.com.evil.test/a')).toBe(false);
  });

  it('matches any host with *', () => {
    const p = pattern('https://*/lightning/*');
    expect(p.test('https://acme.my.salesforce.com/lightning/r/Contact')).toBe(true);
    expect(p.test('https://acme.my.salesforce.com/setup')).toBe(false);
  });

  it('applies path wildcards to path and query, and nothing else', () => {
    const p = pattern('https://crm.example.com/cases/*/view');
    expect(p.test('https://crm.example.com/cases/42/view')).toBe(true);
    expect(p.test('https://crm.example.com/cases/42/edit')).toBe(false);
    expect(pattern('https://crm.example.com/exact').test('https://crm.example.com/exact')).toBe(
      true,
    );
    expect(pattern('https://crm.example.com/exact').test('https://crm.example.com/exact2')).toBe(
      false,
    );
    expect(pattern('https://crm.example.com/*?tab=*').test('https://crm.example.com/x?tab=a')).toBe(
      true,
    );
  });

  it('takes regular expression characters in the path literally', () => {
    const p = pattern('https://crm.example.com/a.b(c)+');
    expect(p.test('https://crm.example.com/a.b(c)+')).toBe(true);
    expect(p.test('https://crm.example.com/aXb(c)+')).toBe(false);
  });

  it('matches the scheme: * is http and https only', () => {
    const any = pattern('*://crm.example.com/*');
    expect(any.test('http://crm.example.com/')).toBe(true);
    expect(any.test('https://crm.example.com/')).toBe(true);
    expect(any.test('ftp://crm.example.com/')).toBe(false);
    expect(any.test('file:///crm.example.com/')).toBe(false);
    const https = pattern('https://crm.example.com/*');
    expect(https.test('http://crm.example.com/')).toBe(false);
    expect(pattern('file:///*').test('file:///home/agent/softphone.html')).toBe(true);
  });

  it('matches every web URL with <all_urls>', () => {
    const p = pattern('<all_urls>');
    expect(p.test('https://crm.example.com/')).toBe(true);
    expect(p.test('http://127.0.0.1:8080/x')).toBe(true);
    expect(p.test('chrome://settings')).toBe(false);
  });

  it('does not match what is not a URL', () => {
    expect(pattern('*://*/*').test('not a url')).toBe(false);
  });

  it.each([
    '',
    'crm.example.com',
    'https://crm.example.com',
    'https://crm.*.com/*',
    'https://*crm.example.com/*',
    'gopher://crm.example.com/*',
    'https//crm.example.com/*',
    'https://crm.example.com:port/*',
    // Chrome refuses a web pattern without a host; here it would match every host.
    'https:///*',
  ])('returns an Error for %j', (source) => {
    const parsed = parseMatchPattern(source);
    expect(parsed).toBeInstanceOf(Error);
    if (parsed instanceof Error) expect(parsed.message).toContain(source);
  });
});

describe('matchesAny', () => {
  it('is true when one pattern matches', () => {
    expect(
      matchesAny('http://localhost:3000/crm/home', [
        'https://crm.example.com/*',
        'http://localhost/crm*',
      ]),
    ).toBe(true);
  });

  it('is false when none matches, or for an empty list', () => {
    expect(matchesAny('https://shop.example.com/', ['https://crm.example.com/*'])).toBe(false);
    expect(matchesAny('https://crm.example.com/', [])).toBe(false);
  });

  it('skips invalid patterns instead of throwing', () => {
    expect(matchesAny('https://crm.example.com/', ['nonsense', 'https://crm.example.com/*'])).toBe(
      true,
    );
    expect(matchesAny('https://crm.example.com/', ['nonsense'])).toBe(false);
  });
});

describe('one pattern covering another', () => {
  it.each([
    ['https://*.dynamics.com/*', 'https://contoso.crm4.dynamics.com/main.aspx*', true],
    ['https://*.dynamics.com/*', 'https://*.crm4.dynamics.com/*', true],
    ['http://127.0.0.1/*', 'http://127.0.0.1:8080/crm*', true],
    ['*://*/*', 'https://crm.example.com/*', true],
    ['<all_urls>', 'https://crm.example.com/*', true],
    ['https://*.dynamics.com/*', 'https://dynamics.com.evil.example/*', false],
    ['https://*.dynamics.com/*', 'http://contoso.crm.dynamics.com/*', false],
    ['https://*.zendesk.com/agent/*', 'https://acme.zendesk.com/*', false],
    ['http://127.0.0.1:8080/*', 'http://127.0.0.1/*', false],
    ['https://app.hubspot.com/*', 'https://*.hubspot.com/*', false],
  ])('%s covers %s: %s', (outer, inner, covers) => {
    expect(patternCovers(outer, inner)).toBe(covers);
  });
});
