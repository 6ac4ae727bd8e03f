// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { aircall } from './aircall';
import { loadFixture, setCallState } from './fixtures/load';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('aircall.html');
});

describe('Aircall detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(aircall.read(doc)).toEqual({ raw: '+33 6 12 34 56 78', state: 'ringing' });
  });

  it.each([
    ['Ongoing call', 'connected'],
    ['Call ended', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(aircall.read(doc)).toEqual({ raw: '+33 6 12 34 56 78', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(aircall.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(aircall.read(doc)).toBeNull();
  });

  it('reads nothing on a blank page', () => {
    expect(aircall.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html'))).toBeNull();
  });

  it.each([
    ['https://phone.aircall.io/', true],
    ['https://workspace.aircall.io/calls', true],
    ['https://aircall.io/', false],
    ['https://phone.aircall.io.example.com/', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(aircall.applies(new URL(href))).toBe(applies);
  });
});
