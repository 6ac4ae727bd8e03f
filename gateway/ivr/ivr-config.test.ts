import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IVR,
  parseAgents,
  parseIvrConfig,
  parseRoutingConfig,
  reportSharedIvrTokens,
} from './ivr-config';
import { DEFAULT_ROUTING } from './routing';

function collect() {
  const problems: string[] = [];
  return {
    problems,
    report: (key: string, message: string) => problems.push(`${key}: ${message}`),
  };
}

describe('ivr config', () => {
  it('fills in the defaults: a 1500 ms budget, contexts kept 120 s', () => {
    const { problems, report } = collect();
    expect(parseIvrConfig(undefined, report)).toEqual({ timeoutMs: 1500, prefetchSeconds: 120 });
    expect(parseIvrConfig({ timeoutMs: 800, defaultRegion: 'gb' }, report)).toEqual({
      timeoutMs: 800,
      prefetchSeconds: 120,
      defaultRegion: 'GB',
    });
    expect(problems).toEqual([]);
  });

  it('names every bad key', () => {
    const { problems, report } = collect();
    expect(
      parseIvrConfig(
        { timeoutMs: 0, prefetchSeconds: -1, defaultRegion: 'XX', timeout: 5 },
        report,
      ),
    ).toEqual(DEFAULT_IVR);
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'ivr.timeout',
      'ivr.timeoutMs',
      'ivr.prefetchSeconds',
      'ivr.defaultRegion',
    ]);
  });
});

describe('routing config', () => {
  it('takes the documented keys and fills in the rest', () => {
    const { problems, report } = collect();
    expect(parseRoutingConfig({ defaultQueue: 'care', overflowAfterSeconds: 45 }, report)).toEqual({
      ...DEFAULT_ROUTING,
      defaultQueue: 'care',
      overflowAfterSeconds: 45,
    });
    expect(problems).toEqual([]);
  });

  it('refuses wrong types', () => {
    const { problems, report } = collect();
    parseRoutingConfig({ ownManager: 'yes', defaultQueue: '', overflowAfterSeconds: 1.5 }, report);
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'routing.ownManager',
      'routing.defaultQueue',
      'routing.overflowAfterSeconds',
    ]);
  });
});

describe('auth.agents and auth.ivrTokens', () => {
  it('reads agents with a normalized email', () => {
    const { problems, report } = collect();
    expect(
      parseAgents(
        [{ token: 'marco-token', email: 'Marco.Rossi@LaBoutique.example', name: 'Marco Rossi' }],
        report,
      ),
    ).toEqual([
      { token: 'marco-token', email: 'marco.rossi@laboutique.example', name: 'Marco Rossi' },
    ]);
    expect(problems).toEqual([]);
  });

  it('refuses an agent without an email or name, and a token two agents share', () => {
    const { problems, report } = collect();
    const agents = parseAgents(
      [
        { token: 'a-token', email: 'not an address', name: 'A' },
        { token: 'b-token', email: 'b@example.com' },
        { token: 'c-token', email: 'c@example.com', name: 'C' },
        { token: 'c-token', email: 'd@example.com', name: 'D' },
      ],
      report,
    );
    expect(agents.map((a) => a.name)).toEqual(['C']);
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'auth.agents[0].email',
      'auth.agents[1].name',
      'auth.agents[3].token',
    ]);
  });

  it('refuses an IVR key that is also an agent or collect token', () => {
    const { problems, report } = collect();
    reportSharedIvrTokens(
      {
        tokens: ['demo-token'],
        collectTokens: ['site-key'],
        ivrTokens: ['ivr-key', 'demo-token', 'marco-token', 'site-key'],
        agents: [{ token: 'marco-token', email: 'm@example.com', name: 'M' }],
      },
      report,
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'auth.ivrTokens[1]',
      'auth.ivrTokens[2]',
      'auth.ivrTokens[3]',
    ]);
  });
});
