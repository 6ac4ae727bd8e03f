// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, setCallState } from './fixtures/load';
import { twilioFlex } from './twilio-flex';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('twilio-flex.html');
});

describe('Twilio Flex detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(twilioFlex.read(doc)).toEqual({ raw: '+44 20 7946 0123', state: 'ringing' });
  });

  it.each([
    ['Live | 00:12', 'connected'],
    ['Wrap up', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(twilioFlex.read(doc)).toEqual({ raw: '+44 20 7946 0123', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(twilioFlex.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(twilioFlex.read(doc)).toBeNull();
  });

  it('reads a chat task as the customer address when it is the only task', () => {
    doc.getElementById('call-state')?.closest('.Twilio-TaskListBaseItem')?.remove();
    doc.getElementById('chat-task')?.removeAttribute('hidden');
    expect(twilioFlex.read(doc)).toEqual({ raw: 'jane.doe@example.com', state: 'ringing' });
  });

  it('reads nothing on a blank page', () => {
    expect(
      twilioFlex.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html')),
    ).toBeNull();
  });

  it.each([
    ['https://flex.twilio.com/agent-desktop/', true],
    ['https://acme-1234.twil.io/agent-desktop/', true],
    ['https://www.twilio.com/console', false],
    ['https://flex.twilio.com.example.com/', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(twilioFlex.applies(new URL(href))).toBe(applies);
  });
});
