import { isCountryCode, normalizeEmail } from '../../shared/identity';
import { isRecord } from '../json-shape';
import { DEFAULT_ROUTING, type RoutingConfig } from './routing';

/** The gateway config's `ivr` (README, "IVR"), defaults filled in. */
export interface IvrConfig {
  /** The IVR's budget: the lookup answers within it with whatever the sources gave by then. */
  timeoutMs: number;
  /** How long an IVR lookup keeps the caller's context for the agent's screen pop (0: not). */
  prefetchSeconds: number;
  /** Region for numbers the IVR passes without a country code (ISO 3166, e.g. `GB`). */
  defaultRegion?: string;
}

/** A static agent token and who holds it (`auth.agents[]`). */
export interface AgentConfig {
  token: string;
  email: string;
  name: string;
  /** The agent's id where the CRM names owners by id (Dynamics 365 user id, a REST `ownerId`). */
  id?: string;
  /** May see the team's live calls and listen in (README, "Supervisors"). */
  supervisor?: boolean;
}

export const DEFAULT_IVR: IvrConfig = { timeoutMs: 1500, prefetchSeconds: 120 };
const MAX_IVR_TIMEOUT_MS = 10_000;
const MAX_PREFETCH_SECONDS = 3600;
const MAX_QUEUE_NAME = 128;
/** RFC 6750 bearer token characters, as for `auth.tokens`. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

type Report = (key: string, message: string) => void;

export function parseIvrConfig(value: unknown, report: Report): IvrConfig {
  if (value === undefined) return { ...DEFAULT_IVR };
  if (!isRecord(value)) {
    report('ivr', 'must be an object like { "timeoutMs": 1500, "prefetchSeconds": 120 }');
    return { ...DEFAULT_IVR };
  }
  unknownKeys(value, 'ivr', ['timeoutMs', 'prefetchSeconds', 'defaultRegion'], report);
  const config: IvrConfig = {
    timeoutMs:
      wholeNumber(value.timeoutMs, 'ivr.timeoutMs', 100, MAX_IVR_TIMEOUT_MS, report) ??
      DEFAULT_IVR.timeoutMs,
    prefetchSeconds:
      wholeNumber(value.prefetchSeconds, 'ivr.prefetchSeconds', 0, MAX_PREFETCH_SECONDS, report) ??
      DEFAULT_IVR.prefetchSeconds,
  };
  const region = value.defaultRegion;
  if (region !== undefined) {
    if (typeof region === 'string' && isCountryCode(region.toUpperCase()))
      config.defaultRegion = region.toUpperCase();
    else report('ivr.defaultRegion', 'must be a two-letter region code, like GB');
  }
  return config;
}

export function parseRoutingConfig(value: unknown, report: Report): RoutingConfig {
  if (value === undefined) return { ...DEFAULT_ROUTING };
  if (!isRecord(value)) {
    report(
      'routing',
      'must be an object like { "ownManager": true, "defaultQueue": "general", "overflowAfterSeconds": 60, "overflowQueue": "overflow" }',
    );
    return { ...DEFAULT_ROUTING };
  }
  const keys = ['ownManager', 'defaultQueue', 'overflowAfterSeconds', 'overflowQueue'];
  unknownKeys(value, 'routing', keys, report);
  const config = { ...DEFAULT_ROUTING };
  if (value.ownManager !== undefined) {
    if (typeof value.ownManager === 'boolean') config.ownManager = value.ownManager;
    else report('routing.ownManager', 'must be true or false');
  }
  for (const key of ['defaultQueue', 'overflowQueue'] as const) {
    const name = value[key];
    if (name === undefined) continue;
    if (typeof name === 'string' && name.trim() !== '' && name.length <= MAX_QUEUE_NAME)
      config[key] = name;
    else report(`routing.${key}`, `must be a queue name of 1 to ${MAX_QUEUE_NAME} characters`);
  }
  config.overflowAfterSeconds =
    wholeNumber(value.overflowAfterSeconds, 'routing.overflowAfterSeconds', 0, 3600, report) ??
    DEFAULT_ROUTING.overflowAfterSeconds;
  return config;
}

/** `auth.agents`: each static token names its agent, so presence and "make me their manager" know who. */
export function parseAgents(value: unknown, report: Report): AgentConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(
      'auth.agents',
      'must be a list like [{ "token": "...", "email": "marco.rossi@example.com", "name": "Marco Rossi" }]',
    );
    return [];
  }
  const seen = new Set<string>();
  return value.flatMap((entry: unknown, i): AgentConfig[] => {
    const at = `auth.agents[${i}]`;
    if (!isRecord(entry)) {
      report(at, 'must be an object with "token", "email" and "name"');
      return [];
    }
    unknownKeys(entry, at, ['token', 'email', 'name', 'id', 'supervisor'], report);
    let ok = true;
    const { token, email, name, id, supervisor } = entry;
    if (supervisor !== undefined && typeof supervisor !== 'boolean') {
      report(`${at}.supervisor`, 'must be true or false');
      ok = false;
    }
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      report(`${at}.token`, 'must be a non-empty token of letters, digits and -._~+/');
      ok = false;
    } else if (seen.has(token)) {
      report(`${at}.token`, 'is the token of another agent too');
      ok = false;
    }
    const address = typeof email === 'string' ? normalizeEmail(email) : undefined;
    if (!address?.ok) {
      report(`${at}.email`, "must be the agent's email address");
      ok = false;
    }
    if (typeof name !== 'string' || name.trim() === '' || name.length > 256) {
      report(`${at}.name`, "must be the agent's name");
      ok = false;
    }
    if (id !== undefined && (typeof id !== 'string' || id === '' || id.length > 256)) {
      report(`${at}.id`, "must be the agent's id in the CRM");
      ok = false;
    }
    if (!ok || !address?.ok) return [];
    seen.add(token as string);
    return [
      {
        token: token as string,
        email: address.value,
        name: (name as string).trim(),
        ...(typeof id === 'string' ? { id } : {}),
        ...(supervisor === true ? { supervisor: true } : {}),
      },
    ];
  });
}

/**
 * An IVR key opens `/v1/ivr/*` only and an agent's token everything else: one token in two roles
 * would give an IVR key the customer base, or an agent the IVR's view.
 */
export function reportSharedIvrTokens(
  auth: { tokens: string[]; collectTokens: string[]; ivrTokens: string[]; agents: AgentConfig[] },
  report: Report,
): void {
  const others = new Set([
    ...auth.tokens,
    ...auth.collectTokens,
    ...auth.agents.map((agent) => agent.token),
  ]);
  auth.ivrTokens.forEach((token, i) => {
    if (others.has(token))
      report(`auth.ivrTokens[${i}]`, 'is also an agent or collect token; use a different key');
  });
  const collect = new Set(auth.collectTokens);
  auth.agents.forEach((agent, i) => {
    if (collect.has(agent.token))
      report(`auth.agents[${i}].token`, 'is also in auth.collectTokens; use a different key');
  });
}

function wholeNumber(
  value: unknown,
  key: string,
  min: number,
  max: number,
  report: Report,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
    return value;
  report(key, `must be a whole number from ${min} to ${max}`);
  return undefined;
}

function unknownKeys(
  value: Record<string, unknown>,
  at: string,
  known: readonly string[],
  report: Report,
): void {
  for (const key of Object.keys(value)) {
    if (key.startsWith('$') || known.includes(key)) continue;
    report(`${at}.${key}`, `unknown key (expected ${known.join(', ')})`);
  }
}
