import { describe, expect, it } from 'vitest';
import { withholdActivity, withholdUnconsented } from './consent';
import type { ActivityEvent, CallerContext, Match } from './model';

const event = (id: string): ActivityEvent => ({
  id,
  at: '2026-11-01T10:00:00Z',
  type: 'page_view',
  title: 'My orders',
  source: 'web',
});

function match(consent: 'granted' | 'denied' | undefined, activity: ActivityEvent[]): Match {
  return {
    profile: {
      id: `p-${consent}`,
      source: 'demo',
      attributes: {},
      ...(consent ? { consent: { personalisation: consent } } : {}),
    },
    activity,
    cases: [],
  };
}

describe('withholdUnconsented', () => {
  it('removes the activity of a customer who denied personalisation, keeping the count', () => {
    const context: CallerContext = {
      identity: { namespace: 'phone', value: '+1' },
      fetchedAt: '2026-11-01T10:00:00Z',
      errors: [],
      matches: [
        match('denied', [event('a'), event('b'), event('c')]),
        match('granted', [event('d')]),
      ],
    };
    const shown = withholdUnconsented(context);
    expect(shown.matches[0]?.activity).toEqual([]);
    expect(shown.matches[0]?.withheldActivity).toBe(3);
    expect(JSON.stringify(shown.matches[0])).not.toContain('My orders');
    expect(shown.matches[1]?.activity.map((e) => e.id)).toEqual(['d']);
    expect(shown.matches[1]?.withheldActivity).toBeUndefined();
  });

  it('leaves a context without denied consent as it is', () => {
    const context: CallerContext = {
      identity: { namespace: 'phone', value: '+1' },
      fetchedAt: '2026-11-01T10:00:00Z',
      errors: [],
      matches: [match(undefined, [event('a')])],
    };
    expect(withholdUnconsented(context)).toBe(context);
  });
});

describe('withholdActivity', () => {
  it('counts live events that arrive for a customer who denied personalisation', () => {
    const withheld = { ...match('denied', []), withheldActivity: 2 };
    expect(withholdActivity(withheld, [event('x')])).toMatchObject({
      activity: [],
      withheldActivity: 3,
    });
  });

  it('passes events through when consent allows', () => {
    const granted = match('granted', []);
    expect(withholdActivity(granted, [event('x')])).toBe(granted);
  });
});
