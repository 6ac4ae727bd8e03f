// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { DetectionRule } from '../../shared/config';
import { compileRule, compileRules } from './rules';

function page(body: string, title = 'Phone'): Document {
  return new DOMParser().parseFromString(
    `<!doctype html><title>${title}</title><body>${body}</body>`,
    'text/html',
  );
}

function compiled(rule: Omit<DetectionRule, 'matches'>, matches = ['https://phone.example.com/*']) {
  const detector = compileRule({ matches, ...rule }, 1, document);
  if (detector instanceof Error) throw detector;
  return detector;
}

describe('admin rules', () => {
  it('reads the text a selector names, joined when the number is split over elements', () => {
    const rule = compiled({ selector: '.incoming .digits' });
    const doc = page(
      '<div class="incoming"><span class="digits">+44</span><span class="digits">20 7946</span><span class="digits">0123</span></div>',
    );
    expect(rule.read(doc)).toEqual({ raw: '+44 20 7946 0123', state: 'ringing' });
    expect(rule.id).toBe('rule-1');
  });

  it('takes the first group of its pattern, or the whole match', () => {
    const doc = page('<p class="who">Caller: 020 7946 0123 (London office)</p>');
    expect(compiled({ selector: '.who', pattern: 'Caller: ([0-9 ]+\\d)' }).read(doc)).toEqual({
      raw: '020 7946 0123',
      state: 'ringing',
    });
    expect(compiled({ selector: '.who', pattern: '0\\d{2} \\d{4} \\d{4}' }).read(doc)).toEqual({
      raw: '020 7946 0123',
      state: 'ringing',
    });
    expect(compiled({ selector: '.who', pattern: 'nothing like this' }).read(doc)).toBeNull();
  });

  it('prefers a tel: link target and reads an email address', () => {
    expect(
      compiled({ selector: 'a.caller' }).read(
        page('<a class="caller" href="tel:+442079460123">Jane</a>'),
      ),
    ).toEqual({
      raw: 'tel:+442079460123',
      state: 'ringing',
    });
    expect(
      compiled({ selector: '.from' }).read(page('<p class="from">From: jane@example.com</p>')),
    ).toEqual({
      raw: 'jane@example.com',
      state: 'ringing',
    });
  });

  it('reads the page title and the URL', () => {
    const byTitle = compiled({ titlePattern: 'Call from (\\+[0-9 ]+)' });
    expect(byTitle.read(page('', 'Call from +44 20 7946 0123 - Phone'))).toEqual({
      raw: '+44 20 7946 0123',
      state: 'ringing',
    });
    expect(byTitle.read(page('', 'Phone - idle'))).toBeNull();
    const byUrl = compiled({ urlParam: 'ani' });
    expect(
      byUrl.read(page(''), new URL('https://phone.example.com/pop?ani=%2B442079460123')),
    ).toEqual({
      raw: '+442079460123',
      state: 'ringing',
    });
    expect(
      byUrl.read(page(''), new URL('https://phone.example.com/pop#/contact?ani=02079460123')),
    ).toEqual({
      raw: '02079460123',
      state: 'ringing',
    });
    expect(byUrl.read(page(''), new URL('https://phone.example.com/pop'))).toBeNull();
  });

  it('reads nothing when its elements are gone or empty', () => {
    const rule = compiled({ selector: '.incoming' });
    expect(rule.read(page('<p>Ready</p>'))).toBeNull();
    expect(rule.read(page('<p class="incoming">   </p>'))).toBeNull();
  });

  it('applies only to the pages its matches name', () => {
    const rule = compiled({ selector: '.x' }, ['https://phone.example.com/agent/*']);
    expect(rule.applies(new URL('https://phone.example.com/agent/home'))).toBe(true);
    expect(rule.applies(new URL('https://phone.example.com/admin'))).toBe(false);
    expect(rule.applies(new URL('https://evil.example.org/agent/home'))).toBe(false);
  });

  it('reports a bad rule by its position and keeps the others', () => {
    const { detectors, problems } = compileRules(
      [
        { matches: ['https://a.example/*'], selector: '.ok' },
        { matches: ['https://b.example/*'], selector: 'div[' },
        { matches: ['https://c.example/*'], selector: '.x', pattern: '(' },
        { matches: ['https://d.example/*'], urlParam: 'ani' },
      ],
      document,
    );
    expect(detectors.map((d) => d.id)).toEqual(['rule-1', 'rule-4']);
    expect(problems).toEqual([
      { rule: 2, message: '"div[" is not a valid CSS selector' },
      { rule: 3, message: expect.stringMatching(/regular expression/) },
    ]);
  });
});
