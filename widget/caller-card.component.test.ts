// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Match } from '../shared/model';
import { CALLER_SHOWN_MARK, type CcCallerCard } from './caller-card.component';
import { defineSidebarElements } from './define';

beforeAll(() => defineSidebarElements());
beforeEach(() => performance.clearMarks(CALLER_SHOWN_MARK));
afterEach(() => document.body.replaceChildren());

function match(id: string, displayName: string): Match {
  return { profile: { id, source: 'crm', displayName, attributes: {} }, activity: [], cases: [] };
}

const marks = () => performance.getEntriesByName(CALLER_SHOWN_MARK).length;

describe('the caller-shown mark (what the screen-pop benchmark times)', () => {
  it('is set for each new caller on screen: another customer, or the same one on a new call', async () => {
    const card = document.createElement('cc-caller-card') as CcCallerCard;
    document.body.append(card);
    const show = async (callId: string, shown: Match) => {
      card.callId = callId;
      card.match = shown;
      await card.updateComplete;
    };
    const jane = match('jane', 'Jane Doe');
    await show('call-1', jane);
    expect(card.shadowRoot?.textContent).toContain('Jane Doe');
    expect(marks()).toBe(1);
    // The same call moving on (a refreshed context) is not a new caller.
    await show('call-1', { ...jane, activity: [] });
    expect(marks()).toBe(1);
    // Jane calls again: a new call, straight from the cache, with no empty card between.
    await show('call-2', jane);
    expect(marks()).toBe(2);
    // The agent picks another customer on that call.
    await show('call-2', match('bob', 'Bob Smith'));
    expect(marks()).toBe(3);
  });
});
