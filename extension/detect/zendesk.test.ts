// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { loadFixture } from './fixtures/load';
import { zendesk } from './zendesk';

// Its Talk console's call is read as the other announced calls are (announced-detectors.test.ts).
describe('Zendesk detector, messaging', () => {
  it('reads a messaging conversation as the customer address', () => {
    const doc = loadFixture('zendesk.html');
    doc.getElementById('call-state')?.closest('[role]')?.remove();
    doc.getElementById('messaging')?.removeAttribute('hidden');
    expect(zendesk.read(doc)).toEqual({ raw: 'Jane.Doe@Example.com', state: 'ringing' });
  });
});
