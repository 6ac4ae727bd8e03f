import type { ContactEvent } from '../shared/model';

/**
 * Test support: the call that AEP's, Segment's and Unomi's call-logged fixtures
 * (`shared/connectors/fixtures/*-call-logged.json`, `unomi-events-search-calls.json`) hold, as
 * each connector must read it back into the contact history.
 */
export function loggedCallReadBack(source: string): ContactEvent {
  return {
    id: '3b241101-e2bb-4255-8caf-4136c566a962',
    at: '2026-11-19T16:04:05.000Z',
    channel: 'call',
    direction: 'inbound',
    disposition: 'Follow-up needed',
    note: 'Asked about the drip tray; we call back tomorrow.',
    durationSeconds: 312,
    source,
  };
}
