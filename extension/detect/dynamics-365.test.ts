// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamics365 } from './dynamics-365';
import { loadFixture, setCallState } from './fixtures/load';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('dynamics-365.html');
});

describe('Dynamics 365 detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(dynamics365.read(doc)).toEqual({ raw: '0034 612 34 56 78', state: 'ringing' });
  });

  it.each([
    ['Ongoing call', 'connected'],
    ['Call ended', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(dynamics365.read(doc)).toEqual({ raw: '0034 612 34 56 78', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(dynamics365.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(dynamics365.read(doc)).toBeNull();
  });

  it('reads nothing on a blank page', () => {
    expect(
      dynamics365.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html')),
    ).toBeNull();
  });

  it.each([
    ['https://contoso.crm.dynamics.com/main.aspx', true],
    ['https://contoso.crm4.dynamics.com/main.aspx?appid=1', true],
    ['https://dynamics.microsoft.com/', false],
    ['https://example.com/dynamics.com', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(dynamics365.applies(new URL(href))).toBe(applies);
  });
});
