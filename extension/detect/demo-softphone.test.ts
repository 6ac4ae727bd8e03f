// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { demoSoftphone } from './demo-softphone';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = readFileSync(join(here, 'fixtures', 'demo-softphone.html'), 'utf8');

let doc: Document;

function panel(): Element {
  const found = doc.querySelector('.call-panel');
  if (!found) throw new Error('the fixture has no call panel');
  return found;
}

beforeEach(() => {
  doc = new DOMParser().parseFromString(fixture, 'text/html');
});

describe('demo softphone detector', () => {
  it('reads a ringing call with its number and call id', () => {
    expect(demoSoftphone.read(doc)).toEqual({
      raw: '+44 20 7946 0123',
      state: 'ringing',
      callId: 'call-m7x2k9-1',
    });
  });

  it.each(['connected', 'ended'] as const)('reads a %s call', (state) => {
    panel().setAttribute('data-call-state', state);
    expect(demoSoftphone.read(doc)).toEqual({
      raw: '+44 20 7946 0123',
      state,
      callId: 'call-m7x2k9-1',
    });
  });

  it('reads nothing while the softphone is idle', () => {
    panel().setAttribute('data-call-state', 'idle');
    expect(demoSoftphone.read(doc)).toBeNull();
    panel().removeAttribute('data-call-id');
    const number = panel().querySelector('.caller-number');
    if (number) number.textContent = '';
    expect(demoSoftphone.read(doc)).toBeNull();
  });

  it('reads nothing for a state it does not know', () => {
    panel().setAttribute('data-call-state', 'on-hold');
    expect(demoSoftphone.read(doc)).toBeNull();
    panel().removeAttribute('data-call-state');
    expect(demoSoftphone.read(doc)).toBeNull();
  });

  it('reads nothing when the number is blank', () => {
    const number = panel().querySelector('.caller-number');
    if (!number) throw new Error('the fixture has no number');
    number.textContent = '   ';
    expect(demoSoftphone.read(doc)).toBeNull();
  });

  it('trims the number and leaves out a missing call id', () => {
    panel().removeAttribute('data-call-id');
    const number = panel().querySelector('.caller-number');
    if (!number) throw new Error('the fixture has no number');
    number.textContent = '\n   020 7946 0123  \n';
    const call = demoSoftphone.read(doc);
    expect(call).toEqual({ raw: '020 7946 0123', state: 'ringing' });
    expect(call && 'callId' in call).toBe(false);
  });

  it('reads nothing on a page that is not the softphone', () => {
    doc.querySelector('[data-softphone]')?.removeAttribute('data-softphone');
    expect(demoSoftphone.read(doc)).toBeNull();
    expect(
      demoSoftphone.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html')),
    ).toBeNull();
  });

  it.each([
    ['http://127.0.0.1:5173/softphone', true],
    ['http://localhost:8080/softphone', true],
    ['http://localhost/softphone/lines/2', true],
    ['http://127.0.0.1:5173/crm', false],
    ['http://127.0.0.1:5173/', false],
    ['https://softphone.example.com/softphone', false],
    ['http://127.0.0.1.example.com/softphone', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(demoSoftphone.applies(new URL(href))).toBe(applies);
  });
});
