import { describe, expect, it } from 'vitest';
import { parseConversationsConfig } from './conversation-config';
import { carriesSupervisorClaim, parseSupervisorClaim } from './supervisor-role';

describe('the supervisor claim', () => {
  const rule = { claim: 'roles', value: 'CallerContext.Supervisor' };

  it('matches a list, a space-separated scope, a single value and a nested claim', () => {
    expect(carriesSupervisorClaim({ roles: ['Agent', 'CallerContext.Supervisor'] }, rule)).toBe(
      true,
    );
    expect(carriesSupervisorClaim({ roles: 'openid CallerContext.Supervisor' }, rule)).toBe(true);
    expect(carriesSupervisorClaim({ roles: 'CallerContext.Supervisor' }, rule)).toBe(true);
    const keycloak = { claim: 'realm_access.roles', value: 'supervisor' };
    expect(carriesSupervisorClaim({ realm_access: { roles: ['supervisor'] } }, keycloak)).toBe(
      true,
    );
    expect(
      carriesSupervisorClaim({ is_supervisor: true }, { claim: 'is_supervisor', value: 'true' }),
    ).toBe(true);
  });

  it('does not match another value, a missing claim or a look-alike', () => {
    expect(carriesSupervisorClaim({ roles: ['Agent'] }, rule)).toBe(false);
    expect(carriesSupervisorClaim({}, rule)).toBe(false);
    expect(carriesSupervisorClaim({ roles: 'CallerContext.Supervisors' }, rule)).toBe(false);
    expect(
      carriesSupervisorClaim(
        { realm_access: 'supervisor' },
        { claim: 'realm_access.roles', value: 'supervisor' },
      ),
    ).toBe(false);
  });

  it('reports a malformed auth.oidc.supervisor by its keys', () => {
    const problems: string[] = [];
    const report = (key: string, message: string) => problems.push(`${key}: ${message}`);
    expect(parseSupervisorClaim({ claim: 'roles', value: 'x', extra: 1 }, report)).toEqual({
      claim: 'roles',
      value: 'x',
    });
    expect(parseSupervisorClaim({ claim: 'has space', value: '' }, report)).toBeUndefined();
    expect(parseSupervisorClaim('roles', report)).toBeUndefined();
    expect(problems).toEqual([
      'auth.oidc.supervisor.extra: unknown key (expected claim, value)',
      'auth.oidc.supervisor.claim: must name a claim, like roles or realm_access.roles',
      'auth.oidc.supervisor.value: must be the role, group or scope that marks supervisors',
      'auth.oidc.supervisor: must be an object like { "claim": "roles", "value": "CallerContext.Supervisor" }',
    ]);
  });
});

describe('the conversations config', () => {
  it('fills in a day and ten minutes, and keeps retention to a day at most', () => {
    const problems: string[] = [];
    const report = (key: string, message: string) => problems.push(`${key}: ${message}`);
    expect(parseConversationsConfig(undefined, report)).toEqual({
      linkMinutes: 10,
      retentionHours: 24,
    });
    expect(parseConversationsConfig({ linkMinutes: 5, retentionHours: 8 }, report)).toEqual({
      linkMinutes: 5,
      retentionHours: 8,
    });
    expect(parseConversationsConfig({ retentionHours: 48, linkMinutes: 0 }, report)).toEqual({
      linkMinutes: 10,
      retentionHours: 24,
    });
    expect(problems).toEqual([
      'conversations.linkMinutes: must be a whole number from 1 to 60',
      'conversations.retentionHours: must be a whole number from 1 to 24',
    ]);
  });
});
