import { createHash, timingSafeEqual } from 'node:crypto';
import type { AgentConfig } from './ivr-config';
import type { AgentIdentity } from './presence';

/**
 * The agent of `auth.agents` who holds a static bearer token, with the CRM id the config gives
 * them (which the request's principal does not carry). Undefined for any other token.
 */
export function agentResolver(agents: readonly AgentConfig[]) {
  const byDigest = agents.map((agent) => ({ digest: digest(agent.token), agent }));
  return async (authorization: string | undefined): Promise<AgentIdentity | undefined> => {
    const token = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return undefined;
    const presented = digest(token);
    let found: AgentConfig | undefined;
    // Every agent's token is compared, so the time taken says nothing about which one matched.
    for (const { digest: known, agent } of byDigest)
      if (timingSafeEqual(known, presented)) found = agent;
    if (!found) return undefined;
    return { email: found.email, name: found.name, ...(found.id ? { id: found.id } : {}) };
  };
}

export function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
