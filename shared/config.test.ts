import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  type DetectionRule,
  resolveConfig,
  validateRule,
  validateSetting,
} from './config';

describe('resolveConfig', () => {
  it('uses the defaults when nothing is set', () => {
    const { config, origins, problems } = resolveConfig({});
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(Object.values(origins).every((o) => o === 'default')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('lets policy win over the agent, and the agent over the defaults', () => {
    const { config, origins, problems } = resolveConfig({
      policy: { gatewayUrl: 'https://gw.policy.example' },
      agent: { gatewayUrl: 'https://gw.agent.example', defaultRegion: 'US' },
    });
    expect(config.gatewayUrl).toBe('https://gw.policy.example');
    expect(origins.gatewayUrl).toBe('policy');
    expect(config.defaultRegion).toBe('US');
    expect(origins.defaultRegion).toBe('agent');
    expect(config.crmMatches).toEqual(DEFAULT_CONFIG.crmMatches);
    expect(origins.crmMatches).toBe('default');
    expect(problems).toEqual([]);
  });

  it('reports an invalid policy value and applies the agent value instead', () => {
    const { config, origins, problems } = resolveConfig({
      policy: { defaultRegion: 'Narnia' },
      agent: { defaultRegion: 'US' },
    });
    expect(config.defaultRegion).toBe('US');
    expect(origins.defaultRegion).toBe('agent');
    expect(problems).toEqual([
      { origin: 'policy', key: 'defaultRegion', message: expect.stringMatching(/region/) },
    ]);
  });

  it('reports an invalid agent value and keeps the default', () => {
    const { config, origins, problems } = resolveConfig({ agent: { crmMatches: ['nope'] } });
    expect(config.crmMatches).toEqual(DEFAULT_CONFIG.crmMatches);
    expect(origins.crmMatches).toBe('default');
    expect(problems).toEqual([
      { origin: 'agent', key: 'crmMatches', message: expect.stringContaining('nope') },
    ]);
  });

  it('never half-applies a list with one bad entry', () => {
    const { config, problems } = resolveConfig({
      policy: { crmMatches: ['https://crm.example.com/*', 42] },
    });
    expect(config.crmMatches).toEqual(DEFAULT_CONFIG.crmMatches);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ origin: 'policy', key: 'crmMatches' });
  });

  it('reports a layer that is not an object', () => {
    const { config, problems } = resolveConfig({ policy: 'gatewayUrl=https://x', agent: 7 });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toEqual([
      { origin: 'agent', key: '*', message: expect.any(String) },
      { origin: 'policy', key: '*', message: expect.any(String) },
    ]);
  });

  it('ignores keys it does not know', () => {
    const { config, problems } = resolveConfig({ policy: { somethingElse: true } });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toEqual([]);
  });

  it('does not change the defaults', () => {
    const before = structuredClone(DEFAULT_CONFIG);
    resolveConfig({ policy: { gatewayUrl: 'https://gw.example', defaultRegion: 'us' } });
    expect(DEFAULT_CONFIG).toEqual(before);
  });

  describe('gatewayUrl', () => {
    it.each([
      ['https://gw.example.com', 'https://gw.example.com'],
      ['https://gw.example.com/', 'https://gw.example.com'],
      ['https://gw.example.com/base/', 'https://gw.example.com/base'],
      ['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
      ['http://localhost:8787/', 'http://localhost:8787'],
      ['http://[::1]:8787', 'http://[::1]:8787'],
    ])('accepts %s', (value, expected) => {
      const { config, problems } = resolveConfig({ policy: { gatewayUrl: value } });
      expect(problems).toEqual([]);
      expect(config.gatewayUrl).toBe(expected);
    });

    it.each([
      'http://gw.example.com',
      'http://127.0.0.1.example.com',
      'ftp://gw.example.com',
      'javascript:alert(1)',
      'not a url',
      42,
    ])('refuses %j', (value) => {
      const { config, problems } = resolveConfig({
        policy: { gatewayUrl: value },
        agent: { gatewayUrl: 'https://gw.agent.example' },
      });
      expect(config.gatewayUrl).toBe('https://gw.agent.example');
      expect(problems).toEqual([
        { origin: 'policy', key: 'gatewayUrl', message: expect.any(String) },
      ]);
    });

    it('says why plain http was refused', () => {
      const { problems } = resolveConfig({ agent: { gatewayUrl: 'http://gw.example.com' } });
      expect(problems[0]?.message).toMatch(/https/);
    });
  });

  describe('defaultRegion', () => {
    it('upper-cases the region', () => {
      const { config, origins } = resolveConfig({ agent: { defaultRegion: 'us' } });
      expect(config.defaultRegion).toBe('US');
      expect(origins.defaultRegion).toBe('agent');
    });

    it.each(['XX', 'GBR', '', 44])('refuses %j', (value) => {
      const { config, problems } = resolveConfig({ agent: { defaultRegion: value } });
      expect(config.defaultRegion).toBe(DEFAULT_CONFIG.defaultRegion);
      expect(problems).toEqual([
        { origin: 'agent', key: 'defaultRegion', message: expect.any(String) },
      ]);
    });
  });

  describe('gatewayToken', () => {
    it('takes a token and refuses an empty one', () => {
      expect(resolveConfig({ policy: { gatewayToken: 'abc' } }).config.gatewayToken).toBe('abc');
      const empty = resolveConfig({ policy: { gatewayToken: '' } });
      expect(empty.config.gatewayToken).toBe(DEFAULT_CONFIG.gatewayToken);
      expect(empty.problems).toMatchObject([{ origin: 'policy', key: 'gatewayToken' }]);
    });
  });

  describe('detectionRules', () => {
    const good: DetectionRule = {
      matches: ['https://phone.example.com/*'],
      selector: '.caller',
      pattern: '\\+?\\d[\\d ]+',
    };

    it('applies valid rules', () => {
      const { config, origins, problems } = resolveConfig({ policy: { detectionRules: [good] } });
      expect(problems).toEqual([]);
      expect(config.detectionRules).toEqual([good]);
      expect(origins.detectionRules).toBe('policy');
    });

    it('names the number of the bad rule and keeps the others working', () => {
      const { config, problems } = resolveConfig({
        policy: {
          detectionRules: [
            good,
            { matches: ['https://x.example/*'], selector: '.a', pattern: '(' },
          ],
        },
      });
      expect(config.detectionRules).toEqual([good]);
      expect(problems).toEqual([
        {
          origin: 'policy',
          key: 'detectionRules',
          message: expect.stringMatching(/^rule 2: .*regular expression/),
        },
      ]);
    });

    it('reports every bad rule, and applies an empty list when none is good', () => {
      const { config, origins, problems } = resolveConfig({
        agent: { detectionRules: [good] },
        policy: { detectionRules: [{ matches: [] }, { selector: '.a' }] },
      });
      // Policy wins even when all its rules are bad: an admin's list is never mixed with the agent's.
      expect(config.detectionRules).toEqual([]);
      expect(origins.detectionRules).toBe('policy');
      expect(problems.map((p) => p.message)).toEqual([
        expect.stringMatching(/^rule 1: /),
        expect.stringMatching(/^rule 2: /),
      ]);
    });

    it('refuses something that is not a list', () => {
      const { problems } = resolveConfig({ agent: { detectionRules: good } });
      expect(problems).toMatchObject([{ origin: 'agent', key: 'detectionRules' }]);
    });
  });
});

describe('sidebarPlacement', () => {
  it('is in the page by default and may be the side panel', () => {
    expect(resolveConfig({}).config.sidebarPlacement).toBe('page');
    expect(
      resolveConfig({ agent: { sidebarPlacement: 'sidePanel' } }).config.sidebarPlacement,
    ).toBe('sidePanel');
  });

  it('reports anything else and keeps the default', () => {
    const { config, problems } = resolveConfig({ policy: { sidebarPlacement: 'popup' } });
    expect(config.sidebarPlacement).toBe('page');
    expect(problems).toMatchObject([{ origin: 'policy', key: 'sidebarPlacement' }]);
  });
});

describe('validateRule', () => {
  it.each<[string, unknown, RegExp]>([
    ['not an object', 'selector', /object/],
    ['null', null, /object/],
    ['no matches', { selector: '.caller' }, /matches/],
    ['empty matches', { matches: [], selector: '.caller' }, /matches/],
    ['a bad match pattern', { matches: ['phone.example.com'], selector: '.c' }, /match pattern/],
    ['a match pattern that is not a string', { matches: [7], selector: '.c' }, /match pattern/],
    ['no selector, urlParam or titlePattern', { matches: ['https://a.example/*'] }, /selector/],
    ['only a pattern', { matches: ['https://a.example/*'], pattern: '\\d+' }, /selector/],
    ['an empty selector', { matches: ['https://a.example/*'], selector: '' }, /selector/],
    [
      'a selector that is not a string',
      { matches: ['https://a.example/*'], selector: 1 },
      /selector/,
    ],
    [
      'a bad pattern',
      { matches: ['https://a.example/*'], selector: '.c', pattern: '[' },
      /pattern/,
    ],
    [
      'a bad titlePattern',
      { matches: ['https://a.example/*'], titlePattern: '(?<' },
      /titlePattern/,
    ],
  ])('refuses a rule with %s', (_, rule, message) => {
    const result = validateRule(rule);
    expect(result).toBeInstanceOf(Error);
    if (result instanceof Error) expect(result.message).toMatch(message);
  });

  it.each<DetectionRule>([
    { matches: ['https://a.example/*'], selector: '.caller' },
    { matches: ['https://a.example/*'], urlParam: 'ani' },
    { matches: ['https://a.example/*'], titlePattern: 'Call from (\\+\\d+)' },
  ])('accepts %j', (rule) => {
    expect(validateRule(rule)).toEqual(rule);
  });

  it('keeps only the keys it knows', () => {
    expect(
      validateRule({ matches: ['https://a.example/*'], selector: '.c', onMatch: 'alert(1)' }),
    ).toEqual({ matches: ['https://a.example/*'], selector: '.c' });
  });
});

describe('cache lifetime and Dynamics with the agent sign-in', () => {
  it('defaults the cache to 60 s and takes 0 (off) up to an hour', () => {
    expect(resolveConfig({}).config.cacheTtlSeconds).toBe(60);
    expect(resolveConfig({ policy: { cacheTtlSeconds: 0 } }).config.cacheTtlSeconds).toBe(0);
    const tooLong = resolveConfig({ policy: { cacheTtlSeconds: 86_400 } });
    expect(tooLong.config.cacheTtlSeconds).toBe(60);
    expect(tooLong.problems).toEqual([
      {
        origin: 'policy',
        key: 'cacheTtlSeconds',
        message: 'must be a whole number of seconds from 0 to 3600',
      },
    ]);
  });

  it('takes dynamicsDirect with an https org URL, a tenant and a client id', () => {
    const dynamicsDirect = {
      orgUrl: 'https://contoso.crm4.dynamics.com/',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: 'app-1',
    };
    expect(resolveConfig({ policy: { dynamicsDirect } }).config.dynamicsDirect).toEqual({
      ...dynamicsDirect,
      orgUrl: 'https://contoso.crm4.dynamics.com',
    });
    const plain = resolveConfig({
      policy: { dynamicsDirect: { ...dynamicsDirect, orgUrl: 'http://crm.example.com' } },
    });
    expect(plain.config.dynamicsDirect).toBeUndefined();
    expect(plain.problems[0]?.message).toBe('"orgUrl" must use https');
    expect(
      resolveConfig({ agent: { dynamicsDirect: { orgUrl: 'https://x.example' } } }).problems[0]
        ?.message,
    ).toBe('"tenantId" is required');
  });
});

describe('dispositions', () => {
  it('has sensible defaults and takes an admin list', () => {
    expect(resolveConfig({}).config.dispositions.length).toBeGreaterThan(3);
    const { config, origins } = resolveConfig({
      policy: { dispositions: [{ code: 'sold', label: 'Sold' }] },
    });
    expect(config.dispositions).toEqual([{ code: 'sold', label: 'Sold' }]);
    expect(origins.dispositions).toBe('policy');
  });

  it('refuses duplicates and items without a label, keeping the defaults', () => {
    for (const bad of [
      [
        { code: 'a', label: 'A' },
        { code: 'a', label: 'Again' },
      ],
      [{ code: 'a' }],
      [],
    ]) {
      const { config, problems } = resolveConfig({ agent: { dispositions: bad } });
      expect(config.dispositions).toEqual(DEFAULT_CONFIG.dispositions);
      expect(problems[0]?.key).toBe('dispositions');
    }
  });
});

describe('requireVerbalConsent', () => {
  it('is off by default, and policy can switch it on over the agent', () => {
    expect(resolveConfig({}).config.requireVerbalConsent).toBe(false);
    const { config, origins } = resolveConfig({
      policy: { requireVerbalConsent: true },
      agent: { requireVerbalConsent: false },
    });
    expect(config.requireVerbalConsent).toBe(true);
    expect(origins.requireVerbalConsent).toBe('policy');
  });

  it('takes only true or false, keeping the default otherwise', () => {
    for (const bad of ['true', 1, null, {}]) {
      const { config, problems } = resolveConfig({ agent: { requireVerbalConsent: bad } });
      expect(config.requireVerbalConsent).toBe(false);
      expect(problems).toEqual([
        { origin: 'agent', key: 'requireVerbalConsent', message: 'must be true or false' },
      ]);
    }
    expect(validateSetting('requireVerbalConsent', true)).toBe(true);
    expect(validateSetting('requireVerbalConsent', 'yes')).toBeInstanceOf(Error);
  });
});

describe('callDataRetentionHours', () => {
  it('keeps a finished call 4 hours by default; policy wins over the agent', () => {
    expect(resolveConfig({}).config.callDataRetentionHours).toBe(4);
    const { config, origins } = resolveConfig({
      policy: { callDataRetentionHours: 1 },
      agent: { callDataRetentionHours: 24 },
    });
    expect(config.callDataRetentionHours).toBe(1);
    expect(origins.callDataRetentionHours).toBe('policy');
  });

  it('takes 0 (at once) to 168 hours, fractions included', () => {
    expect(validateSetting('callDataRetentionHours', 0)).toBe(0);
    expect(validateSetting('callDataRetentionHours', 0.25)).toBe(0.25);
    expect(validateSetting('callDataRetentionHours', 168)).toBe(168);
    for (const bad of [-1, 169, Number.NaN, Number.POSITIVE_INFINITY, '4', null]) {
      const { config, problems } = resolveConfig({ policy: { callDataRetentionHours: bad } });
      expect(config.callDataRetentionHours).toBe(4);
      expect(problems).toEqual([
        {
          origin: 'policy',
          key: 'callDataRetentionHours',
          message: 'must be a number of hours from 0 to 168',
        },
      ]);
    }
  });
});
