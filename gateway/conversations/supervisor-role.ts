import type { JWTPayload } from 'jose';
import { isRecord } from '../json-shape';

/**
 * Which OIDC claim marks a supervisor (`auth.oidc.supervisor`): e.g. `{ "claim": "roles",
 * "value": "CallerContext.Supervisor" }` for an Entra ID app role, `{ "claim": "groups", ... }`
 * for Okta groups, `{ "claim": "realm_access.roles", ... }` for a Keycloak realm role.
 */
export interface SupervisorClaim {
  /** The claim's name; dots reach into nested objects. */
  claim: string;
  /** The value that marks a supervisor: the claim equals it, or lists it. */
  value: string;
}

/**
 * Whether the token's claims carry the supervisor role: the named claim equals the value, or is
 * a list (an array, or space-separated like OAuth `scope`) holding it, or is `true` when the value
 * is "true".
 */
export function carriesSupervisorClaim(claims: JWTPayload, rule: SupervisorClaim): boolean {
  let found: unknown = claims;
  for (const part of rule.claim.split('.')) {
    if (!isRecord(found)) return false;
    found = found[part];
  }
  if (typeof found === 'string')
    return found === rule.value || found.split(' ').includes(rule.value);
  if (Array.isArray(found)) return found.includes(rule.value);
  if (typeof found === 'boolean') return String(found) === rule.value;
  return false;
}

const CLAIM = /^[A-Za-z0-9_:/-]{1,64}(\.[A-Za-z0-9_:/-]{1,64}){0,3}$/;

/** Checks `auth.oidc.supervisor`; `report(key, message)` is the config parser's. */
export function parseSupervisorClaim(
  value: unknown,
  report: (key: string, message: string) => void,
): SupervisorClaim | undefined {
  if (value === undefined) return undefined;
  const example = '{ "claim": "roles", "value": "CallerContext.Supervisor" }';
  if (!isRecord(value)) {
    report('auth.oidc.supervisor', `must be an object like ${example}`);
    return undefined;
  }
  for (const key of Object.keys(value))
    if (!key.startsWith('$') && key !== 'claim' && key !== 'value')
      report(`auth.oidc.supervisor.${key}`, 'unknown key (expected claim, value)');
  const { claim, value: wanted } = value;
  let ok = true;
  if (typeof claim !== 'string' || !CLAIM.test(claim)) {
    report('auth.oidc.supervisor.claim', 'must name a claim, like roles or realm_access.roles');
    ok = false;
  }
  if (typeof wanted !== 'string' || wanted.trim() === '' || wanted.length > 256) {
    report('auth.oidc.supervisor.value', 'must be the role, group or scope that marks supervisors');
    ok = false;
  }
  return ok ? { claim: claim as string, value: wanted as string } : undefined;
}
