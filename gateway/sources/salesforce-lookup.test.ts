import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerContext } from '../../shared/model';
import { startVendorReplay, type VendorReplay } from '../../test-support/replay-server';
import { salesforceRoutes } from '../../test-support/salesforce-replay';
import { runLookup, writeTempConfig } from '../test-support/lookup-cli';

function configFile(baseUrl: string): string {
  return writeTempConfig({
    auth: { tokens: ['t'] },
    sources: [
      {
        id: 'sf',
        type: 'salesforce',
        baseUrl,
        clientId: '3MVG9VwZxxW3bBQjhE6m21CG2nSS4WC',
        clientSecretEnv: 'SF_CLIENT_SECRET',
      },
    ],
  });
}

describe('npm run lookup with a salesforce source, against a replay of Salesforce', {
  timeout: 60_000,
}, () => {
  let salesforce: VendorReplay;

  beforeAll(async () => {
    salesforce = await startVendorReplay(salesforceRoutes());
  });
  afterAll(async () => salesforce?.close());

  it('prints the contact, their latest case and its record URL', async () => {
    const { code, stdout, stderr } = await runLookup(
      { SF_CLIENT_SECRET: 'sf-secret' },
      '--config',
      configFile(salesforce.url),
      'phone:+442079460123',
    );
    expect(stderr).not.toContain('lookup:');
    expect(code).toBe(0);
    expect(salesforce.undocumented).toEqual([]);
    const context = JSON.parse(stdout) as CallerContext;
    const [match] = context.matches;
    expect(match?.profile.displayName).toBe('Jane Doe');
    expect(match?.profile.owner?.name).toBe('Marco Rossi');
    expect(match?.cases[0]).toMatchObject({
      number: '00001042',
      title: 'Cracked drip tray',
      url: `${salesforce.url}/lightning/r/Case/500D000000IcM2bIAF/view`,
    });
    expect(match?.contacts?.[0]?.disposition).toBe('Follow-up needed');
  });

  it('exits 1 naming the missing secret variable', async () => {
    const { code, stderr } = await runLookup(
      { SF_CLIENT_SECRET: '' },
      '--config',
      configFile(salesforce.url),
      'phone:+442079460123',
    );
    expect(code).toBe(1);
    expect(stderr).toContain('SF_CLIENT_SECRET');
  });
});
