import type { DynamicsDirectConfig } from '../shared/config';
import { createDynamicsConnector } from '../shared/connectors/dynamics';
import type { FetchLike } from '../shared/connectors/http';
import type { ContextFetcher } from './context-service';
import type { OidcClient, SignIn } from './sign-in';

/** Thrown when only an interactive sign-in can get a token: the agent must click "Sign in". */
export class SignInRequired extends Error {
  constructor() {
    super('Sign in to Dynamics 365 to see its contacts and cases.');
  }
}

/**
 * The agent's own Entra ID sign-in for Dynamics 365, as a client of the generic OpenID Connect
 * sign-in: the tenant's v2.0 authority publishes the discovery document
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc), and the scope asks for
 * Dataverse on the agent's behalf, with a refresh token
 * (https://learn.microsoft.com/power-apps/developer/data-platform/authenticate-oauth).
 */
export function entraClient(config: DynamicsDirectConfig): OidcClient {
  return {
    issuer: `https://login.microsoftonline.com/${encodeURIComponent(config.tenantId)}/v2.0`,
    clientId: config.clientId,
    scopes: [`${config.orgUrl}/user_impersonation`, 'offline_access'],
    // One key per app and organization: switching either never reuses the other's token.
    storageKey: `entraToken:${config.clientId}:${config.orgUrl}`,
    // The redirect URI admins register for the app: https://<extension id>.chromiumapp.org/entra
    redirectPath: 'entra',
    providerName: 'Entra ID',
  };
}

/**
 * Dynamics 365 read from the background with the agent's own token: the same connector the
 * gateway runs, no secret in the browser. Lookups never open a window: without a token (stored,
 * refreshed, or from Entra ID's own session) they ask the agent to sign in.
 */
export function dynamicsDirectFetcher(
  config: DynamicsDirectConfig,
  signIn: Pick<SignIn, 'accessToken'>,
  fetchImpl: FetchLike = fetch,
  now: () => Date = () => new Date(),
): ContextFetcher {
  const client = entraClient(config);
  const accessToken = async (signal: AbortSignal): Promise<string> => {
    const token = await signIn.accessToken(client, { silent: true, signal });
    if (!token) throw new SignInRequired();
    return token;
  };
  const connector = createDynamicsConnector(
    { id: 'dynamics', type: 'dynamics', baseUrl: config.orgUrl },
    { fetch: fetchImpl, secret: () => undefined, now, accessToken },
  );
  return {
    id: 'dynamics',
    async fetch(identity, signal) {
      const matches = await connector.lookup(identity, signal);
      return { identity, matches, fetchedAt: now().toISOString(), errors: [] };
    },
  };
}
