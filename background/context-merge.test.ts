import { describe, expect, it } from 'vitest';
import type { Match } from '../shared/model';
import { mergeMatches } from './context-merge';

const m = (
  source: string,
  id: string,
  profile: Partial<Match['profile']> = {},
  rest: Partial<Match> = {},
): Match => ({
  profile: { id, source, attributes: {}, ...profile },
  activity: [],
  cases: [],
  ...rest,
});

describe('mergeMatches', () => {
  it('joins the same id, the same email in any case, and the same phone in any format', () => {
    const merged = mergeMatches(
      [
        m('aep', 'x1', { phones: ['+442079460123'] }),
        m('crm', 'c1', { phones: ['020 7946 0123'], emails: ['Jane@Example.com'] }),
        m('segment', 's1', { emails: ['jane@example.com'] }),
        m('gw-crm', 'c1'),
        m('crm', 'c2', { phones: ['+442079460999'] }),
      ],
      'GB',
    );
    expect(merged.map((match) => [match.profile.id, match.profile.alsoIn?.length ?? 0])).toEqual([
      ['x1', 3],
      ['c2', 0],
    ]);
  });

  it('keeps apart two customers one source returns for a shared number, and joins one from another source only when unambiguous', () => {
    const household = mergeMatches(
      [
        m('demo', 'tom', { phones: ['+442079460456'] }),
        m('demo', 'tessa', { phones: ['+442079460456'] }),
        m('crm', 'c1', { phones: ['+442079460456'] }),
      ],
      'GB',
    );
    expect(household.map((match) => match.profile.id)).toEqual(['tom', 'tessa', 'c1']);
    const single = mergeMatches(
      [
        m('demo', 'jane', { phones: ['+442079460123'] }),
        m('crm', 'c9', { phones: ['020 7946 0123'] }),
      ],
      'GB',
    );
    expect(single.map((match) => match.profile.id)).toEqual(['jane']);
  });

  it('lets the first source lead, fills gaps from the others, and keeps any denied consent', () => {
    const [merged] = mergeMatches([
      m('aep', 'a', {
        firstName: 'Jane',
        emails: ['j@example.com'],
        attributes: { tier: 'gold' },
        consent: { email: 'granted', sms: 'unknown' },
      }),
      m('crm', 'b', {
        firstName: 'Janet',
        lastName: 'Doe',
        emails: ['j@example.com'],
        attributes: { tier: 'silver', city: 'Leeds' },
        consent: { email: 'denied', sms: 'granted' },
      }),
    ]);
    expect(merged?.profile).toMatchObject({
      firstName: 'Jane',
      lastName: 'Doe',
      attributes: { tier: 'gold', city: 'Leeds' },
      consent: { email: 'denied', sms: 'granted' },
    });
  });

  it('joins activity and cases newest first, each id once', () => {
    const [merged] = mergeMatches([
      m(
        'aep',
        'a',
        { emails: ['j@example.com'] },
        {
          activity: [{ id: 'e1', at: '2026-11-21T10:00:00Z', type: 'page_view', source: 'aep' }],
          cases: [{ id: 'k1', title: 'old', createdAt: '2026-01-01T00:00:00Z' }],
        },
      ),
      m(
        'crm',
        'b',
        { emails: ['j@example.com'] },
        {
          activity: [
            { id: 'e2', at: '2026-11-21T11:00:00Z', type: 'cart_add', source: 'crm' },
            { id: 'e1', at: '2026-11-21T10:00:00Z', type: 'page_view', source: 'aep' },
          ],
          cases: [{ id: 'k2', title: 'new', createdAt: '2026-11-01T00:00:00Z' }],
        },
      ),
    ]);
    expect(merged?.activity.map((e) => e.id)).toEqual(['e2', 'e1']);
    expect(merged?.cases.map((c) => c.id)).toEqual(['k2', 'k1']);
  });
});
