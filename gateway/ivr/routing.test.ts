import { describe, expect, it } from 'vitest';
import type { PresenceState } from './presence';
import { decideRoute, type RoutingConfig } from './routing';

const config: RoutingConfig = {
  ownManager: true,
  defaultQueue: 'general',
  overflowAfterSeconds: 60,
  overflowQueue: 'overflow',
};
const marco = (state: PresenceState) => ({
  id: 'emp-17',
  name: 'Marco Rossi',
  email: 'marco.rossi@laboutique.example',
  state,
});
const MARCO = { id: 'emp-17', name: 'Marco Rossi', email: 'marco.rossi@laboutique.example' };

describe('routing table', () => {
  it.each([
    [
      'unknown caller',
      { known: false, ownManager: null, waitedSeconds: 0 },
      { to: 'queue', queue: 'general', reason: 'unknown_caller' },
    ],
    [
      'known, no manager',
      { known: true, ownManager: null, waitedSeconds: 0 },
      { to: 'queue', queue: 'general', reason: 'no_own_manager' },
    ],
    [
      'manager available',
      { known: true, ownManager: marco('available'), waitedSeconds: 0 },
      { to: 'agent', agent: MARCO, reason: 'own_manager' },
    ],
    [
      'manager busy, just rang',
      { known: true, ownManager: marco('busy'), waitedSeconds: 0 },
      { to: 'agent', agent: MARCO, reason: 'own_manager_busy' },
    ],
    [
      'manager in wrap-up, 59 s waited',
      { known: true, ownManager: marco('wrap_up'), waitedSeconds: 59 },
      { to: 'agent', agent: MARCO, reason: 'own_manager_busy' },
    ],
    [
      'manager busy, 60 s waited',
      { known: true, ownManager: marco('busy'), waitedSeconds: 60 },
      { to: 'queue', queue: 'overflow', reason: 'overflow' },
    ],
    [
      'manager busy, 75 s waited',
      { known: true, ownManager: marco('busy'), waitedSeconds: 75 },
      { to: 'queue', queue: 'overflow', reason: 'overflow' },
    ],
    [
      'manager offline',
      { known: true, ownManager: marco('offline'), waitedSeconds: 0 },
      { to: 'queue', queue: 'general', reason: 'own_manager_unavailable' },
    ],
    [
      'manager offline, long wait',
      { known: true, ownManager: marco('offline'), waitedSeconds: 300 },
      { to: 'queue', queue: 'general', reason: 'own_manager_unavailable' },
    ],
  ] as const)('%s', (_name, input, route) => {
    expect(decideRoute(input, config)).toEqual(route);
  });

  it('never routes to a manager when ownManager is off', () => {
    const input = { known: true, ownManager: marco('available'), waitedSeconds: 0 };
    expect(decideRoute(input, { ...config, ownManager: false })).toEqual({
      to: 'queue',
      queue: 'general',
      reason: 'no_own_manager',
    });
  });
});
