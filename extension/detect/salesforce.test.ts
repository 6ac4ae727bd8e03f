// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { loadFixture, setCallState } from './fixtures/load';
import { salesforce } from './salesforce';

let doc: Document;

beforeEach(() => {
  doc = loadFixture('salesforce.html');
});

describe('Salesforce detector', () => {
  it('reads the ringing call and the caller as the page shows it', () => {
    expect(salesforce.read(doc)).toEqual({ raw: 'tel:+447700900123', state: 'ringing' });
  });

  it.each([
    ['Connected', 'connected'],
    ['After Conversation Work', 'ended'],
  ] as const)('reads %j as %s', (text, state) => {
    setCallState(doc, text);
    expect(salesforce.read(doc)).toEqual({ raw: 'tel:+447700900123', state });
  });

  it('reads nothing once the call is gone from the page', () => {
    doc
      .getElementById('call-state')
      ?.closest('[role], section, .Twilio-TaskListBaseItem')
      ?.remove();
    expect(salesforce.read(doc)).toBeNull();
  });

  it('reads nothing when the panel names no call state', () => {
    setCallState(doc, 'Available');
    const labelled = doc.getElementById('call-state')?.closest('[aria-label]');
    labelled?.removeAttribute('aria-label');
    expect(salesforce.read(doc)).toBeNull();
  });

  it('reads nothing on a blank page', () => {
    expect(
      salesforce.read(new DOMParser().parseFromString('<p>Hello</p>', 'text/html')),
    ).toBeNull();
  });

  it.each([
    ['https://acme.lightning.force.com/lightning/page/home', true],
    ['https://acme--c.vf.force.com/apex/CallerPop', true],
    ['https://acme.my.salesforce.com/home/home.jsp', true],
    ['https://www.salesforce.com/', false],
    ['https://force.com.example.com/', false],
  ])('applies to %s: %s', (href, applies) => {
    expect(salesforce.applies(new URL(href))).toBe(applies);
  });
});
