// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, setCallState } from './fixtures/load';
import { webexContactCenter } from './webex-contact-center';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('webex-contact-center.html');
});

describe('Webex Contact Center detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(webexContactCenter.read(doc)).toEqual({ raw: '020 7946 0123', state: 'ringing' });
  });

  it.each([
    ['Connected', 'connected'],
    ['Wrap Up', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(webexContactCenter.read(doc)).toEqual({ raw: '020 7946 0123', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(webexContactCenter.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(webexContactCenter.read(doc)).toBeNull();
  });

  it('reads nothing on a blank page', () => {
    expect(
      webexContactCenter.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html')),
    ).toBeNull();
  });

  it.each([
    ['https://desktop.wxcc-us1.cisco.com/', true],
    ['https://desktop.wxcc-eu1.cisco.com/home', true],
    ['https://www.cisco.com/', false],
    ['https://desktop.wxcc-us1.cisco.com.example.com/', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(webexContactCenter.applies(new URL(href))).toBe(applies);
  });
});
