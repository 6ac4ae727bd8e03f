// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, setCallState } from './fixtures/load';
import { zendesk } from './zendesk';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('zendesk.html');
});

describe('Zendesk detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(zendesk.read(doc)).toEqual({ raw: '+44 20 7946 0123 ext. 12', state: 'ringing' });
  });

  it.each([
    ['Call in progress', 'connected'],
    ['Wrap-up', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(zendesk.read(doc)).toEqual({ raw: '+44 20 7946 0123 ext. 12', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(zendesk.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(zendesk.read(doc)).toBeNull();
  });

  it('reads a messaging conversation as the customer address', () => {
    doc.getElementById('call-state')?.closest('[role]')?.remove();
    doc.getElementById('messaging')?.removeAttribute('hidden');
    expect(zendesk.read(doc)).toEqual({ raw: 'Jane.Doe@Example.com', state: 'ringing' });
  });

  it('reads nothing on a blank page', () => {
    expect(zendesk.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html'))).toBeNull();
  });

  it.each([
    ['https://acme.zendesk.com/agent/tickets/1', true],
    ['https://acme.zendesk.com/agent/', true],
    ['https://acme.zendesk.com/hc/en-us', false],
    ['https://www.zendesk.com/', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(zendesk.applies(new URL(href))).toBe(applies);
  });
});
