// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { amazonConnect } from './amazon-connect';
import { loadFixture, setCallState } from './fixtures/load';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('amazon-connect.html');
});

describe('Amazon Connect CCP detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(amazonConnect.read(doc)).toEqual({ raw: '+1 (415) 555-0132', state: 'ringing' });
  });

  it.each([
    ['Connected call', 'connected'],
    ['After contact work', 'ended'],
    ['Missed call', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(amazonConnect.read(doc)).toEqual({ raw: '+1 (415) 555-0132', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(amazonConnect.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(amazonConnect.read(doc)).toBeNull();
  });

  it('reads nothing on a blank page', () => {
    expect(
      amazonConnect.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html')),
    ).toBeNull();
  });

  it.each([
    ['https://acme.my.connect.aws/ccp-v2/', true],
    ['https://acme.my.connect.aws/agent-app-v2/', true],
    ['https://acme.awsapps.com/connect/ccp-v2', true],
    ['https://acme.awsapps.com/workdocs/', false],
    ['https://my.connect.aws.example.com/ccp-v2', false],
    ['https://example.com/ccp-v2', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(amazonConnect.applies(new URL(href))).toBe(applies);
  });
});
