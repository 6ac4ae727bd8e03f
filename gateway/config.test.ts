import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_CONFIG_FILE } from './cli-args';
import { GatewayConfigError, loadGatewayConfig, parseGatewayConfig } from './config';

const minimal = { auth: { tokens: ['t0k3n'] }, sources: [{ id: 'demo', type: 'demo' }] };

function problemsOf(json: unknown): string[] {
  try {
    parseGatewayConfig(json);
  } catch (error) {
    if (error instanceof GatewayConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('parseGatewayConfig', () => {
  it('fills in the defaults', () => {
    const config = parseGatewayConfig(minimal, { baseDir: '/etc/caller-context' });
    expect(config).toEqual({
      listen: { host: '127.0.0.1', port: 8787 },
      auth: { tokens: ['t0k3n'], collectTokens: [], ivrTokens: [], agents: [], siteKeys: [] },
      sources: [{ id: 'demo', type: 'demo' }],
      sinks: [],
      cors: { origins: [] },
      sourceTimeoutMs: 3000,
      store: { type: 'memory' },
      rateLimits: {
        collectPerKey: 6000,
        collectPerAddress: 120,
        contextPerPrincipal: 300,
        conversationWritesPerAgent: 120,
        trustedProxyHops: 0,
      },
      liveBuffer: {
        maxEventsPerIdentity: 500,
        maxAgeMinutes: 1440,
        maxBytesPerIdentity: 262144,
        maxBytes: 67108864,
      },
      log: {},
      delivery: { leaseSeconds: 60, maxAttempts: 15 },
      routing: {
        ownManager: true,
        defaultQueue: 'general',
        overflowAfterSeconds: 60,
        overflowQueue: 'overflow',
      },
      ivr: { timeoutMs: 1500, prefetchSeconds: 120 },
      conversations: { linkMinutes: 10, retentionHours: 24 },
      baseDir: '/etc/caller-context',
    });
  });

  it('reads the demo config', async () => {
    const config = await loadGatewayConfig(DEMO_CONFIG_FILE);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(config.auth).toEqual({
      tokens: ['demo-token'],
      collectTokens: ['demo-collect-key'],
      siteKeys: [
        { key: 'demo-site-key', identitySecretEnv: 'DEMO_SITE_IDENTITY_SECRET', name: 'demo-shop' },
      ],
      ivrTokens: ['demo-ivr-key'],
      agents: [
        {
          token: 'demo-marco-token',
          email: 'marco.rossi@laboutique.example',
          name: 'Marco Rossi',
          id: 'emp-17',
        },
        {
          token: 'demo-alex-token',
          email: 'alex.agent@laboutique.example',
          name: 'Alex Agent',
          id: 'emp-23',
        },
        {
          token: 'demo-sofia-token',
          email: 'sofia.bianchi@laboutique.example',
          name: 'Sofia Bianchi',
          id: 'emp-02',
          supervisor: true,
        },
      ],
    });
    expect(config.routing.defaultQueue).toBe('general');
    expect(config.ivr).toEqual({ timeoutMs: 1500, prefetchSeconds: 120, defaultRegion: 'GB' });
    expect(config.cors.origins).toEqual(['http://127.0.0.1:8788', 'http://localhost:8788']);
  });

  it('names an unknown source type and lists the known ones', () => {
    expect(problemsOf({ ...minimal, sources: [{ id: 'aep', type: 'aepx' }] })).toEqual([
      'sources[0].type: unknown source type "aepx" (expected demo, aep, segment, unomi, dynamics, salesforce, rest)',
    ]);
  });

  it('takes auth.oidc with an issuer and audience, and refuses a config without either', () => {
    const oidc = { issuer: 'https://id.example', audience: 'api://caller-context' };
    expect(parseGatewayConfig({ ...minimal, auth: { oidc } }).auth.oidc).toEqual(oidc);
    expect(problemsOf({ ...minimal, auth: { oidc: { issuer: 'http://id.example' } } })).toEqual([
      'auth.oidc.issuer: must be the issuer URL (https; plain http only on loopback)',
      "auth.oidc.audience: is required: the gateway's audience (app id or URI)",
    ]);
    expect(problemsOf({ sources: minimal.sources })[0]).toMatch(/^auth: is required/);
    expect(problemsOf({ ...minimal, auth: { tokens: [] } })).toEqual([
      'auth.tokens: needs at least one token',
    ]);
  });

  it('keeps whole-number limits within their bounds, naming each one out of them', () => {
    const base = { auth: { tokens: ['t'] }, sources: [{ id: 'demo', type: 'demo' }] };
    expect(
      problemsOf({
        ...base,
        delivery: { leaseSeconds: 0, maxAttempts: 2.5 },
        liveBuffer: { maxEventsPerIdentity: 'many', maxAgeMinutes: 30 },
      }),
    ).toEqual([
      'liveBuffer.maxEventsPerIdentity: must be a whole number from 1 to 10000',
      'delivery.leaseSeconds: must be a whole number from 1 to 3600',
      'delivery.maxAttempts: must be a whole number from 1 to 1000',
    ]);
    const config = parseGatewayConfig({ ...base, liveBuffer: { maxAgeMinutes: 30 } });
    expect(config.liveBuffer.maxAgeMinutes).toBe(30);
  });

  it('reports every problem at once, each naming its key and never echoing a token', () => {
    const problems = problemsOf({
      listen: { host: '127.0.0.1', port: 99999 },
      auth: { tokens: ['good', 'has space'], collectTokens: ['good'] },
      sources: [
        { id: 'demo', type: 'demo', sedFile: 'x.json' },
        { id: 'demo', type: 'demo', seedFile: 42 },
      ],
      sinks: [
        { id: 'aep-stream', type: 'aep', clientSecret: 'hunter2', tokenEnv: 'lower case' },
        { id: 'crm', type: 'sap' },
      ],
      cors: { origins: ['https://shop.example.com/', 'chrome-extension://x'] },
      sourceTimeoutMs: 0,
      listne: {},
    });
    expect(problems).toEqual([
      'listne: unknown key (expected listen, auth, sources, sinks, cors, sourceTimeoutMs, store, rateLimits, liveBuffer, log, delivery, routing, ivr, conversations)',
      'listen.port: must be a whole number from 0 to 65535 (0: any free port)',
      'auth.tokens[1]: must be a non-empty token of letters, digits and -._~+/',
      'auth.collectTokens[0]: is also in auth.tokens; use a different key',
      'sources[1].id: "demo" is already used by sources[0]',
      'sources[0].sedFile: unknown key for a demo source (expected id, type, seedFile)',
      'sources[1].seedFile: must be the path of a seed JSON file',
      'sinks[0].clientSecret: secrets stay out of the config: put it in an environment variable and name that in clientSecretEnv',
      'sinks[0].tokenEnv: must name an environment variable, like AEP_CLIENT_SECRET',
      'sinks[0].clientSecret: unknown key for a aep sink (expected id, type, baseUrl, inletId, flowId, tenant, schemaId, datasetId, orgId, sandbox, clientId, clientSecretEnv, tokenUrl, scope)',
      'sinks[0].tokenEnv: unknown key for a aep sink (expected id, type, baseUrl, inletId, flowId, tenant, schemaId, datasetId, orgId, sandbox, clientId, clientSecretEnv, tokenUrl, scope)',
      'sinks[0].inletId: is required for a aep sink',
      'sinks[0].flowId: is required for a aep sink',
      'sinks[0].tenant: is required for a aep sink',
      'sinks[0].schemaId: is required for a aep sink',
      'sinks[1].type: unknown sink type "sap" (expected aep, dynamics, salesforce, segment, unomi)',
      'cors.origins[0]: must be an origin: scheme://host[:port], without a path',
      'cors.origins[1]: must be an origin: scheme://host[:port], without a path',
      'sourceTimeoutMs: must be a whole number of milliseconds from 1 to 60000',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('keeps sinks and allows $comment annotations', () => {
    const sink = {
      id: 'aep-stream',
      type: 'aep',
      inletId: 'abc',
      flowId: 'flow',
      tenant: 'acme',
      schemaId: 'https://ns.adobe.com/acme/schemas/call',
      clientSecretEnv: 'AEP_SECRET',
    };
    const config = parseGatewayConfig({ $comment: 'prod', ...minimal, sinks: [sink] });
    expect(config.sinks).toEqual([sink]);
  });
});

describe('loadGatewayConfig', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gateway-config-'));

  it('says which file is missing or not JSON', async () => {
    const missing = path.join(dir, 'missing.json');
    await expect(loadGatewayConfig(missing)).rejects.toThrow(
      `invalid gateway config ${missing}:\n  - cannot read the file (ENOENT)`,
    );
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "auth": ');
    await expect(loadGatewayConfig(broken)).rejects.toThrow(/broken\.json:\n {2}- not valid JSON/);
  });

  it('resolves paths against the config file folder', async () => {
    const file = path.join(dir, 'gateway.json');
    writeFileSync(file, JSON.stringify(minimal));
    expect((await loadGatewayConfig(file)).baseDir).toBe(dir);
  });
});
