// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, setCallState } from './fixtures/load';
import { hubspot } from './hubspot';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('hubspot.html');
});

describe('HubSpot detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(hubspot.read(doc)).toEqual({ raw: '(415) 555-0100', state: 'ringing' });
  });

  it.each([
    ['Call in progress', 'connected'],
    ['Call ended', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(hubspot.read(doc)).toEqual({ raw: '(415) 555-0100', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(hubspot.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(hubspot.read(doc)).toBeNull();
  });

  it('reads nothing on a blank page', () => {
    expect(hubspot.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html'))).toBeNull();
  });

  it.each([
    ['https://app.hubspot.com/contacts/123', true],
    ['https://app-eu1.hubspot.com/contacts/123', true],
    ['https://www.hubspot.com/', false],
    ['https://knowledge.hubspot.com/', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(hubspot.applies(new URL(href))).toBe(applies);
  });
});
