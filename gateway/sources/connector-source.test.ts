import { describe, expect, it } from 'vitest';
import { aepConnectorType } from '../../shared/connectors/aep';
import { restConnectorType } from '../../shared/connectors/rest';
import { fixture, replayFetch } from '../../test-support/replay';
import { MemoryLiveBuffer } from '../live-buffer';
import { connectorSourceType } from './connector-source';
import { SourceSetupError } from './source';

const signal = new AbortController().signal;
const now = new Date('2026-11-21T12:00:00Z');
const aepConfig = {
  id: 'aep',
  type: 'aep',
  clientId: 'c',
  clientSecretEnv: 'AEP_CLIENT_SECRET',
  orgId: 'o@AdobeOrg',
  namespace: 'Phone',
};

describe('connector sources', () => {
  it('refuses to start when a named environment variable is not set, naming it', () => {
    const context = { live: new MemoryLiveBuffer(), baseDir: '.', now: () => now, env: {} };
    expect(() => connectorSourceType(aepConnectorType).create(aepConfig, context)).toThrow(
      new SourceSetupError(
        'source aep: the environment variable AEP_CLIENT_SECRET (clientSecretEnv) is not set',
      ),
    );
  });

  it('reads secrets from the environment and adds web events collected for the profile', async () => {
    const live = new MemoryLiveBuffer({}, () => now.getTime());
    await live.append({ namespace: 'email', value: 'janedoe@example.com' }, [
      { id: 'web-1', at: '2026-11-21T11:59:00.000Z', type: 'cart_add', source: 'web' },
    ]);
    const { fetch, requests } = replayFetch((request) => {
      if (request.url.host === 'ims-na1.adobelogin.com') return fixture('aep-ims-token');
      if (request.url.searchParams.get('schema.name') === '_xdm.context.profile')
        return fixture('aep-profile-entity');
      return fixture('aep-events-page-2');
    });
    const source = connectorSourceType(aepConnectorType).create(aepConfig, {
      live,
      baseDir: '.',
      now: () => now,
      fetch,
      env: { AEP_CLIENT_SECRET: 'from-env' },
    });
    const [jane] = await source.lookup({ namespace: 'phone', value: '+442079460123' }, signal);
    expect(new URLSearchParams(requests[0]?.body).get('client_secret')).toBe('from-env');
    expect(jane?.activity.map((event) => event.id)).toEqual([
      'web-1',
      'c8d11988-6b56-4571-a123-b6ce74236037',
    ]);
    const newer = await source.activity(
      { namespace: 'phone', value: '+442079460123' },
      new Date('2026-11-21T11:00:00Z'),
      signal,
    );
    expect(newer.map((event) => event.id)).toEqual(['web-1']);
  });

  it("retries a 429 after the platform's short Retry-After, and reports a long one", async () => {
    const restConfig = {
      id: 'shop',
      type: 'rest',
      url: 'https://shop.example.com/customers?phone={value}',
      map: { id: 'id' },
    };
    const create = (retryAfter: string, busyAnswers: number) => {
      let calls = 0;
      const { fetch } = replayFetch(() =>
        ++calls <= busyAnswers
          ? { status: 429, response: {}, headers: { 'retry-after': retryAfter } }
          : { status: 200, response: [{ id: 'c1' }] },
      );
      const source = connectorSourceType(restConnectorType).create(restConfig, {
        live: new MemoryLiveBuffer(),
        baseDir: '.',
        now: () => now,
        fetch,
      });
      return { source, calls: () => calls };
    };
    const short = create('0', 2);
    const found = await short.source.lookup({ namespace: 'phone', value: '+441' }, signal);
    expect(found.map((m) => m.profile.id)).toEqual(['c1']);
    expect(short.calls()).toBe(3);
    const long = create('120', 1);
    await expect(long.source.lookup({ namespace: 'phone', value: '+441' }, signal)).rejects.toThrow(
      'is rate limiting us (retry after 120 s)',
    );
    expect(long.calls()).toBe(1);
  });

  it("passes the connector's own config checks through", () => {
    const type = connectorSourceType(restConnectorType);
    expect(type.keys).toContain('map');
    expect(type.check({ id: 'r', type: 'rest' }).map((p) => p.key)).toContain('url');
  });
});
