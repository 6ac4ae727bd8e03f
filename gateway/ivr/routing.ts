import type { PresenceState } from './presence';

/** The gateway config's `routing` (README, "IVR"), defaults filled in. */
export interface RoutingConfig {
  /** Route known customers to their own manager when that person is free. */
  ownManager: boolean;
  /** Where unknown callers, customers without a manager and those whose manager is away go. */
  defaultQueue: string;
  /** How long a caller waits for a busy manager before the overflow queue takes them. */
  overflowAfterSeconds: number;
  overflowQueue: string;
}

export const DEFAULT_ROUTING: RoutingConfig = {
  ownManager: true,
  defaultQueue: 'general',
  overflowAfterSeconds: 60,
  overflowQueue: 'overflow',
};

export const ROUTE_REASONS = [
  'own_manager',
  'own_manager_busy',
  'own_manager_unavailable',
  'no_own_manager',
  'unknown_caller',
  'overflow',
] as const;
export type RouteReason = (typeof ROUTE_REASONS)[number];

export interface RoutedAgent {
  id?: string;
  name?: string;
  email?: string;
}

/** Where the IVR should send the call, and why. The IVR stays the one that routes. */
export interface Route {
  to: 'agent' | 'queue';
  agent?: RoutedAgent;
  queue?: string;
  reason: RouteReason;
}

export interface RoutingInput {
  /** A customer the sources know. */
  known: boolean;
  /** Their own manager and that person's presence, when they have one. */
  ownManager: (RoutedAgent & { state: PresenceState }) | null;
  /** How long the caller has waited already (the IVR asks again with it). */
  waitedSeconds: number;
}

/**
 * The routing table:
 *
 * | caller                                  | route                        | reason                  |
 * |-----------------------------------------|------------------------------|-------------------------|
 * | unknown                                 | default queue                | unknown_caller          |
 * | known, no manager (or `ownManager` off) | default queue                | no_own_manager          |
 * | manager available                       | the manager                  | own_manager             |
 * | manager busy or in wrap-up, short wait  | the manager (hold, ask again)| own_manager_busy        |
 * | manager busy, waited >= overflowAfter   | overflow queue               | overflow                |
 * | manager offline                         | default queue                | own_manager_unavailable |
 */
export function decideRoute(input: RoutingInput, config: RoutingConfig): Route {
  const queue = (name: string, reason: RouteReason): Route => ({
    to: 'queue',
    queue: name,
    reason,
  });
  if (!input.known) return queue(config.defaultQueue, 'unknown_caller');
  const manager = input.ownManager;
  if (!manager || !config.ownManager) return queue(config.defaultQueue, 'no_own_manager');
  const agent: RoutedAgent = {
    ...(manager.id ? { id: manager.id } : {}),
    ...(manager.name ? { name: manager.name } : {}),
    ...(manager.email ? { email: manager.email } : {}),
  };
  switch (manager.state) {
    case 'available':
      return { to: 'agent', agent, reason: 'own_manager' };
    case 'busy':
    case 'wrap_up':
      if (input.waitedSeconds >= config.overflowAfterSeconds)
        return queue(config.overflowQueue, 'overflow');
      return { to: 'agent', agent, reason: 'own_manager_busy' };
    case 'offline':
      return queue(config.defaultQueue, 'own_manager_unavailable');
  }
}
