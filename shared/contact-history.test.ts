import { describe, expect, it } from 'vitest';
import type { AfterCallEvent } from './after-call';
import {
  contactFromAfterCall,
  mergeContacts,
  withholdUnconsentedContacts,
  withLoggedCalls,
} from './contact-history';
import type { CallerContext, ContactEvent, Match } from './model';

const logged: AfterCallEvent = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  type: 'call.logged',
  callId: 'call-1',
  identity: { namespace: 'phone', value: '+442079460123' },
  rawNumber: '+44 20 7946 0123',
  profile: { id: 'jane', source: 'demo', name: 'Jane Doe' },
  caseId: 'case-1',
  disposition: { code: 'resolved', label: 'Resolved' },
  notes: 'Sent a replacement drip tray',
  ringingAt: '2026-11-20T10:00:00.000Z',
  connectedAt: '2026-11-20T10:00:05.000Z',
  endedAt: '2026-11-20T10:04:05.000Z',
  talkSeconds: 240,
  loggedAt: '2026-11-20T10:05:00.000Z',
};

function match(id: string, source: string, extra: Partial<Match> = {}): Match {
  return { profile: { id, source, attributes: {} }, activity: [], cases: [], ...extra };
}

function context(...matches: Match[]): CallerContext {
  return {
    identity: { namespace: 'phone', value: '+442079460123' },
    matches,
    fetchedAt: '2026-11-21T10:00:00.000Z',
    errors: [],
  };
}

const email: ContactEvent = {
  id: 'email-1',
  at: '2026-11-19T08:00:00.000Z',
  channel: 'email',
  title: 'Where is my order?',
  source: 'crm',
};

describe('contact history', () => {
  it('turns a logged call into a call contact with its disposition, note and duration', () => {
    expect(contactFromAfterCall(logged)).toEqual({
      id: logged.id,
      at: '2026-11-20T10:04:05.000Z',
      channel: 'call',
      direction: 'inbound',
      disposition: 'Resolved',
      note: 'Sent a replacement drip tray',
      durationSeconds: 240,
      caseId: 'case-1',
      source: 'demo',
      local: true,
    });
  });

  it('merges sources newest first and keeps one call read from several platforms, the platform copy', () => {
    const local = contactFromAfterCall(logged);
    const fromCrm: ContactEvent = {
      id: logged.id,
      at: logged.endedAt as string,
      channel: 'call',
      disposition: 'Resolved',
      url: 'https://crm.example.com/call/1',
      source: 'crm',
    };
    const merged = mergeContacts([local, email], [fromCrm]);
    expect(merged.map((c) => [c.id, c.source, c.local])).toEqual([
      [logged.id, 'crm', undefined],
      ['email-1', 'crm', undefined],
    ]);
    expect(mergeContacts([fromCrm], [local])[0]?.url).toBe('https://crm.example.com/call/1');
  });

  it('adds a logged call to the match it was logged against only', () => {
    const shown = withLoggedCalls(context(match('jane', 'demo'), match('john', 'demo')), [logged]);
    expect(shown.matches[0]?.contacts?.map((c) => c.id)).toEqual([logged.id]);
    expect(shown.matches[1]?.contacts).toBeUndefined();
  });

  it('finds the profile among the sources a merged match joined', () => {
    const merged = match('crm-7', 'crm', {
      profile: {
        id: 'crm-7',
        source: 'crm',
        attributes: {},
        alsoIn: [{ source: 'demo', id: 'jane' }],
      },
      contacts: [email],
    });
    const shown = withLoggedCalls(context(merged), [logged]);
    expect(shown.matches[0]?.contacts?.map((c) => c.id)).toEqual([logged.id, 'email-1']);
  });

  it('gives a call logged against no profile, or one no match holds, to the number', () => {
    const anonymous = { ...logged, profile: null };
    const elsewhere = { ...logged, id: 'other', profile: { id: 'x', source: 'old' } };
    const shown = withLoggedCalls(context(match('jane', 'crm'), match('john', 'crm')), [
      anonymous,
      elsewhere,
    ]);
    expect(shown.matches.map((m) => m.contacts?.length)).toEqual([2, 2]);
    const otherNumber = { ...logged, profile: null, identity: { namespace: 'phone', value: '+1' } };
    expect(withLoggedCalls(context(match('jane', 'crm')), [otherNumber]).matches[0]?.contacts).toBe(
      undefined,
    );
  });

  it('withholds the contacts of a customer who denied personalisation, keeping the count', () => {
    const denied = match('jane', 'demo', {
      profile: {
        id: 'jane',
        source: 'demo',
        attributes: {},
        consent: { personalisation: 'denied' },
      },
      contacts: [email, contactFromAfterCall(logged)],
    });
    const granted = match('john', 'demo', { contacts: [email] });
    const shown = withholdUnconsentedContacts(context(denied, granted));
    expect(shown.matches[0]?.contacts).toBeUndefined();
    expect(shown.matches[0]?.withheldContacts).toBe(2);
    expect(JSON.stringify(shown.matches[0])).not.toContain('drip tray');
    expect(shown.matches[1]?.contacts).toEqual([email]);
  });
});
