import { describe, expect, it } from 'vitest';
import { buildAfterCallEvent, parseAfterCallEvent } from './after-call';
import type { CallSession } from './call';
import type { Match } from './model';

const call: CallSession = {
  id: 'call-1',
  rawNumber: '+44 20 7946 0123',
  identity: { namespace: 'phone', value: '+442079460123' },
  state: 'ended',
  detector: 'demo',
  ringingAt: '2026-11-21T09:00:00.000Z',
  connectedAt: '2026-11-21T09:00:05.000Z',
  endedAt: '2026-11-21T09:04:05.000Z',
  updatedAt: '2026-11-21T09:04:05.000Z',
  lookup: { status: 'pending' },
};
const jane: Match = {
  profile: { id: 'cust-1001', source: 'demo', displayName: 'Jane Doe', attributes: {} },
  activity: [],
  cases: [],
};
const input = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  call,
  draft: { disposition: 'resolved', notes: '', followUpOn: '', caseId: '' },
  dispositions: [{ code: 'resolved', label: 'Resolved' }],
  now: new Date('2026-11-21T09:05:00Z'),
};

describe('"Make me their manager" in the after-call event', () => {
  it('travels with a call that has a known customer, and survives the gateway-side check', () => {
    const event = buildAfterCallEvent({ ...input, match: jane, makeMeManager: true });
    if (event instanceof Error) throw event;
    expect(event.makeMeManager).toBe(true);
    const parsed = parseAfterCallEvent(JSON.parse(JSON.stringify(event)));
    expect(parsed).toMatchObject({ makeMeManager: true, profile: { id: 'cust-1001' } });
  });

  it('is left out for an unknown caller and when not chosen', () => {
    const unknown = buildAfterCallEvent({ ...input, match: null, makeMeManager: true });
    const notChosen = buildAfterCallEvent({ ...input, match: jane });
    expect(unknown).not.toHaveProperty('makeMeManager');
    expect(notChosen).not.toHaveProperty('makeMeManager');
  });

  it('refuses a non-boolean and drops a newManager a client tried to set', () => {
    const event = buildAfterCallEvent({ ...input, match: jane, makeMeManager: true });
    if (event instanceof Error) throw event;
    expect(parseAfterCallEvent({ ...event, makeMeManager: 'yes' })).toBeInstanceOf(Error);
    const forged = parseAfterCallEvent({ ...event, newManager: { email: 'boss@example.com' } });
    expect(forged).not.toHaveProperty('newManager');
  });
});
