// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, setCallState } from './fixtures/load';
import { genesysCloud } from './genesys-cloud';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('genesys-cloud.html');
});

describe('Genesys Cloud detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(genesysCloud.read(doc)).toEqual({ raw: '+33612345678', state: 'ringing' });
  });

  it.each([
    ['Connected', 'connected'],
    ['Disconnected', 'ended'],
    ['After Call Work', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(genesysCloud.read(doc)).toEqual({ raw: '+33612345678', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(genesysCloud.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(genesysCloud.read(doc)).toBeNull();
  });

  it('reads nothing on a blank page', () => {
    expect(
      genesysCloud.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html')),
    ).toBeNull();
  });

  it.each([
    ['https://apps.mypurecloud.com/directory/', true],
    ['https://apps.mypurecloud.ie/', true],
    ['https://apps.usw2.pure.cloud/', true],
    ['https://www.genesys.com/', false],
    ['https://mypurecloud.com.example.com/', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(genesysCloud.applies(new URL(href))).toBe(applies);
  });
});
