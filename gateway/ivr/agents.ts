import { createHash, timingSafeEqual } from 'node:crypto';
import { normalizeEmail } from '../../shared/identity';
import type { AgentConfig } from './ivr-config';
import type { AgentIdentity } from './presence';

/** What an OIDC access token says of its holder, once its signature and claims are checked. */
export type ClaimsOf = (token: string) => Promise<Record<string, unknown> | undefined>;

/**
 * Who holds a bearer token: an agent of `auth.agents` (by their static token), or the subject of a
 * verified OIDC token, known by its `email` (or `preferred_username` / `upn` where that is an
 * address, as Entra ID puts it) and its `sub`. A token that names nobody is undefined: it may
 * read contexts but cannot report presence or become a customer's manager.
 */
export function agentResolver(agents: readonly AgentConfig[], claimsOf?: ClaimsOf) {
  const byDigest = agents.map((agent) => ({ digest: digest(agent.token), agent }));
  return async (authorization: string | undefined): Promise<AgentIdentity | undefined> => {
    const token = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return undefined;
    const presented = digest(token);
    let found: AgentConfig | undefined;
    // Every agent's token is compared, so the time taken says nothing about which one matched.
    for (const { digest: known, agent } of byDigest)
      if (timingSafeEqual(known, presented)) found = agent;
    if (found)
      return { email: found.email, name: found.name, ...(found.id ? { id: found.id } : {}) };
    if (!claimsOf || token.split('.').length !== 3) return undefined;
    const claims = await claimsOf(token);
    return claims ? agentFromClaims(claims) : undefined;
  };
}

export function agentFromClaims(claims: Record<string, unknown>): AgentIdentity | undefined {
  const text = (key: string) => {
    const value = claims[key];
    return typeof value === 'string' && value.length > 0 && value.length <= 256 ? value : undefined;
  };
  let email: string | undefined;
  for (const key of ['email', 'preferred_username', 'upn']) {
    const value = text(key);
    const address = value ? normalizeEmail(value) : undefined;
    if (address?.ok) {
      email = address.value;
      break;
    }
  }
  const id = text('sub');
  if (!email && !id) return undefined;
  const name = text('name');
  return { ...(email ? { email } : {}), ...(id ? { id } : {}), ...(name ? { name } : {}) };
}

export function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
