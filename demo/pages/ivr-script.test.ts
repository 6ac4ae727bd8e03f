import { describe, expect, it } from 'vitest';
import { type IvrAnswer, ivrGreeting, ivrIntent, ivrRouting } from './ivr-script';

const MARCO = { id: 'emp-17', name: 'Marco Rossi', email: 'marco.rossi@laboutique.example' };
const jane: IvrAnswer = {
  known: true,
  matches: 1,
  firstName: 'Jane',
  displayName: 'Jane Doe',
  language: 'en-GB',
  latestCase: {
    number: 'CAS-1042',
    title: 'Espresso Pro arrived with a cracked drip tray',
    status: 'Open',
  },
  ownManager: { ...MARCO, available: true, state: 'available' },
  route: { to: 'agent', agent: MARCO, reason: 'own_manager' },
  intent: { kind: 'read_returns', times: 2, at: '2026-11-21T09:00:00Z' },
  partial: false,
};

describe('the demo IVR', () => {
  it('greets Jane by name with her latest case, and says where it routed her', () => {
    expect(ivrGreeting(jane)).toBe(
      'Hello Jane. Are you calling about your case CAS-1042, Espresso Pro arrived with a cracked drip tray?',
    );
    expect(ivrRouting(jane)).toBe("Routed to Marco Rossi, Jane's own manager, who is available.");
    expect(ivrIntent(jane)).toBe('Online just now: read the returns policy.');
  });

  it('says when her manager is on another call, away, or waited for too long', () => {
    const busy = {
      ...jane,
      route: { to: 'agent' as const, agent: MARCO, reason: 'own_manager_busy' as const },
    };
    expect(ivrRouting(busy)).toContain('is on another call');
    const away = {
      ...jane,
      route: { to: 'queue' as const, queue: 'general', reason: 'own_manager_unavailable' as const },
    };
    expect(ivrRouting(away)).toBe(
      "Marco Rossi, Jane's own manager, is not available: queue “general”.",
    );
    const overflow = {
      ...jane,
      route: { to: 'queue' as const, queue: 'overflow', reason: 'overflow' as const },
    };
    expect(ivrRouting(overflow)).toBe(
      'Waited too long for Marco Rossi: overflow queue “overflow”.',
    );
  });

  it('welcomes an unknown caller without a name', () => {
    const unknown: IvrAnswer = {
      ...jane,
      known: false,
      matches: 0,
      firstName: null,
      displayName: null,
      latestCase: null,
      ownManager: null,
      route: { to: 'queue', queue: 'general', reason: 'unknown_caller' },
    };
    const { intent: _intent, ...noIntent } = unknown;
    expect(ivrGreeting(noIntent)).toBe('Welcome to La Boutique. How can we help you today?');
    expect(ivrRouting(noIntent)).toBe('Unknown caller: queue “general”.');
    expect(ivrIntent(noIntent)).toBe('');
  });
});
