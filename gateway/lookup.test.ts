import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerContext } from '../shared/model';
import { runLookup, writeTempConfig } from './test-support/lookup-cli';
import { type PlatformReplay, startPlatformReplay } from './test-support/platform-replay';

describe('lookup CLI', { timeout: 30_000 }, () => {
  it('prints the CallerContext for a known identity', async () => {
    const { code, stdout } = await runLookup(
      {},
      '--config',
      'demo/gateway.config.json',
      'phone:+442079460123',
    );
    expect(code).toBe(0);
    const context = JSON.parse(stdout) as CallerContext;
    expect(context.matches[0]?.profile.displayName).toBe('Jane Doe');
    expect(context.errors).toEqual([]);
  });

  it('exits 1 with a message for a malformed identity', async () => {
    const { code, stdout, stderr } = await runLookup({}, 'phone:12');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('bad identity "phone:12": phone identity must be E.164');
  });

  it('exits 1 naming the bad config key', async () => {
    const file = writeTempConfig({ auth: { tokens: ['t'] }, sources: [{ id: 'x', type: 'aepx' }] });
    const { code, stderr } = await runLookup({}, '--config', file, 'phone:+442079460123');
    expect(code).toBe(1);
    expect(stderr).toContain('sources[0].type: unknown source type "aepx"');
  });
});

/** A config with an AEP source and a Dynamics source, both pointed at `base`. */
function platformConfig(base: string, extra: Record<string, unknown> = {}): string {
  return writeTempConfig({
    auth: { tokens: ['t'] },
    sources: [
      {
        id: 'aep',
        type: 'aep',
        baseUrl: base,
        tokenUrl: `${base}/ims/token/v3`,
        clientId: 'client-123',
        clientSecretEnv: 'AEP_CLIENT_SECRET',
        orgId: 'ABC123@AdobeOrg',
        sandbox: 'prod',
        namespace: 'mobilenr',
        ...extra,
      },
      {
        id: 'crm',
        type: 'dynamics',
        baseUrl: base,
        tenantId: 'tenant-1',
        tokenUrl: `${base}/tenant-1/oauth2/v2.0/token`,
        clientId: 'app-1',
        clientSecretEnv: 'DYNAMICS_CLIENT_SECRET',
      },
    ],
  });
}

const SECRETS = { AEP_CLIENT_SECRET: 'aep-secret', DYNAMICS_CLIENT_SECRET: 'crm-secret' };

describe('lookup CLI against replayed platforms', { timeout: 90_000 }, () => {
  let replay: PlatformReplay;
  let refusing: PlatformReplay;

  beforeAll(async () => {
    replay = await startPlatformReplay();
    refusing = await startPlatformReplay({ refuseCredentials: true });
  });
  afterAll(async () => {
    await replay?.close();
    await refusing?.close();
  });

  it("prints the AEP profile's name and web events, and the Dynamics contact's latest case", async () => {
    const file = platformConfig(replay.url);
    const { code, stdout, stderr } = await runLookup(
      SECRETS,
      '--config',
      file,
      'phone:+442079460123',
    );
    expect(stderr).not.toContain('lookup:');
    expect(code).toBe(0);
    const context = JSON.parse(stdout) as CallerContext;
    const [aep, crm] = context.matches;
    expect([aep?.profile.firstName, aep?.profile.lastName]).toEqual(['Jane', 'Doe']);
    expect(aep?.activity.map((e) => [e.type, e.title])).toEqual([
      ['page_view', 'Fernie Snow'],
      ['page_view', 'Fernie Snow'],
    ]);
    expect(crm?.profile.displayName).toBe('Yvonne McKay (sample)');
    expect(crm?.cases.map((c) => [c.number, c.title, c.status])).toEqual([
      ['CAS-01042-Z8Q1T2', 'Cracked drip tray', 'Active'],
    ]);
    expect(replay.seen).toContain('POST /ims/token/v3');
  });

  it('exits 1 saying the platform refused the credentials (401)', async () => {
    const { code, stderr } = await runLookup(
      SECRETS,
      '--config',
      platformConfig(refusing.url),
      'phone:+442079460123',
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      'lookup: source aep: Adobe Experience Platform sign-in answered 401 (invalid_client: invalid client secret): check the credentials and permissions in the gateway config',
    );
  });

  it('exits 1 naming an unreachable host, a missing secret and an identity a source cannot use', async () => {
    const closed = await startPlatformReplay();
    const closedUrl = closed.url;
    await closed.close();
    const unreachable = await runLookup(
      SECRETS,
      '--config',
      platformConfig(closedUrl),
      'phone:+442079460123',
    );
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(
      `cannot reach Adobe Experience Platform sign-in at ${new URL(closedUrl).host} (ECONNREFUSED)`,
    );
    const noSecret = await runLookup(
      { AEP_CLIENT_SECRET: '' },
      '--config',
      platformConfig(replay.url),
      'phone:+442079460123',
    );
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain(
      'the environment variable AEP_CLIENT_SECRET (clientSecretEnv) is not set',
    );
    const unknown = await runLookup(
      SECRETS,
      '--config',
      platformConfig(replay.url),
      'ecid:89149270342662559642753730269986316601',
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      'lookup: source crm: Dynamics 365 cannot look up "ecid" identities',
    );
  });
});
