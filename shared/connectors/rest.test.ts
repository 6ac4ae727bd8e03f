import { afterEach, describe, expect, it } from 'vitest';
import { fixture, replayFetch } from '../../test-support/replay';
import { startVendorReplay, type VendorReplay } from '../../test-support/replay-server';
import type { ConnectorConfig } from './connector';
import { createRestConnector, restConnectorType } from './rest';

const config: ConnectorConfig = {
  id: 'shopdb',
  type: 'rest',
  url: 'https://shop.example.com/api/customers?{namespace}={value}',
  tokenEnv: 'SHOP_TOKEN',
  list: 'results',
  map: {
    id: 'customerId',
    displayName: 'name.full',
    emails: 'contact.email',
    phones: 'contact.phone',
    ownerName: 'accountManager',
    attributes: { tier: 'tier' },
  },
  activity: {
    list: 'orders',
    map: { id: 'orderId', at: 'placed', value: 'total', currency: 'ccy' },
  },
  cases: {
    list: 'tickets',
    map: { id: 'ref', title: 'subject', status: 'state', createdAt: 'opened' },
  },
};
const signal = new AbortController().signal;

function connector(fetch: ReturnType<typeof replayFetch>['fetch']) {
  return createRestConnector(config, {
    fetch,
    secret: (name) => (name === 'token' ? 'shop-secret' : undefined),
    now: () => new Date(),
  });
}

describe('generic REST connector, replayed on loopback at the described endpoint only', () => {
  let server: VendorReplay;
  afterEach(async () => server?.close());

  it('fills the URL template, sends the bearer token and maps fields as described', async () => {
    server = await startVendorReplay([
      {
        method: 'GET',
        path: '/api/customers',
        when: (r) => r.url.searchParams.get('phone') === '+442079460123',
        reply: fixture('rest-customers'),
      },
    ]);
    const shop = createRestConnector(
      { ...config, url: `${server.url}/api/customers?{namespace}={value}` },
      {
        fetch: (input, init) => fetch(input, init),
        secret: (name) => (name === 'token' ? 'shop-secret' : undefined),
        now: () => new Date(),
      },
    );
    const [match] = await shop.lookup({ namespace: 'phone', value: '+442079460123' }, signal);
    expect(server.undocumented).toEqual([]);
    expect(server.requests[0]?.url.search).toBe('?phone=%2B442079460123');
    expect(server.requests[0]?.headers.get('authorization')).toBe('Bearer shop-secret');
    expect(match?.profile).toEqual({
      id: 'C-2231',
      source: 'shopdb',
      displayName: 'Jane Doe',
      emails: ['jane.doe@example.com'],
      phones: ['+442079460123'],
      owner: { name: 'Marco Rossi' },
      attributes: { tier: 'gold' },
    });
    expect(match?.activity.map((e) => [e.id, e.type, e.value, e.currency])).toEqual([
      ['o-2', 'event', 12, 'GBP'],
      ['o-1', 'event', 49.5, 'GBP'],
    ]);
    expect(match?.cases).toEqual([
      { id: 'T-9', title: 'Late delivery', status: 'open', createdAt: '2026-11-20T08:00:00.000Z' },
    ]);
  });

  it('finds nobody on 404', async () => {
    server = await startVendorReplay([]);
    const shop = createRestConnector(
      { ...config, url: `${server.url}/api/customers?{namespace}={value}` },
      { fetch: (i, init) => fetch(i, init), secret: () => 'x', now: () => new Date() },
    );
    expect(await shop.lookup({ namespace: 'phone', value: '+442079460123' }, signal)).toEqual([]);
  });
});

describe('generic REST connector', () => {
  it('says where the list was expected when the answer has none', async () => {
    const { fetch } = replayFetch(() => ({ status: 200, response: { data: [] } }));
    await expect(
      connector(fetch).lookup({ namespace: 'phone', value: '+442079460123' }, signal),
    ).rejects.toThrow('the answer has no list at "results"');
  });

  it('checks the admin-described mapping', () => {
    expect(restConnectorType.check(config)).toEqual([]);
    const problems = restConnectorType.check({
      id: 'x',
      type: 'rest',
      url: 'https://x.example.com/customers',
      map: { name: 'n' },
      cases: { map: {} },
    });
    expect(problems.map((p) => p.key)).toEqual(['url', 'map.id', 'map.name', 'cases']);
  });
});
