import type { DynamicsDirectConfig } from '../shared/config';
import { createDynamicsConnector } from '../shared/connectors/dynamics';
import type { FetchLike } from '../shared/connectors/http';
import type { ContextFetcher } from './context-service';
import type { EntraAuth } from './entra-auth';

/**
 * Dynamics 365 read from the background with the agent's own token: the same connector the
 * gateway runs, no secret in the browser.
 */
export function dynamicsDirectFetcher(
  config: DynamicsDirectConfig,
  auth: EntraAuth,
  fetchImpl: FetchLike = fetch,
  now: () => Date = () => new Date(),
): ContextFetcher {
  const connector = createDynamicsConnector(
    { id: 'dynamics', type: 'dynamics', baseUrl: config.orgUrl },
    { fetch: fetchImpl, secret: () => undefined, now, accessToken: auth.accessToken },
  );
  return {
    id: 'dynamics',
    async fetch(identity, signal) {
      const matches = await connector.lookup(identity, signal);
      return { identity, matches, fetchedAt: now().toISOString(), errors: [] };
    },
  };
}
