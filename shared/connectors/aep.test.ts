import { describe, expect, it } from 'vitest';
import { aepConnectorType, createAepConnector } from './aep';
import type { ConnectorConfig } from './connector';
import { fixture, type RecordedRequest, replayFetch } from './replay';

const config: ConnectorConfig = {
  id: 'aep',
  type: 'aep',
  clientId: 'client-123',
  clientSecretEnv: 'AEP_CLIENT_SECRET',
  orgId: 'ABC123@AdobeOrg',
  sandbox: 'prod',
  namespace: 'mobilenr',
  eventMinutes: 30,
  eventLimit: 10,
};
const now = new Date('2026-11-21T12:00:00Z');
const signal = new AbortController().signal;
const phone = { namespace: 'phone', value: '+442079460123' };

function platform(events: string[] = ['aep-events-page-1', 'aep-events-page-2']) {
  const pages = [...events];
  return replayFetch((request) => {
    if (request.url.host === 'ims-na1.adobelogin.com') return fixture('aep-ims-token');
    if (request.url.searchParams.get('schema.name') === '_xdm.context.profile')
      return fixture('aep-profile-entity');
    return fixture(pages.shift() ?? 'aep-events-page-2');
  });
}

function connector(fetch = platform().fetch) {
  return createAepConnector(config, {
    fetch,
    secret: (name) => (name === 'clientSecret' ? 's3cret' : undefined),
    now: () => now,
  });
}

describe('Adobe Experience Platform connector', () => {
  it('exchanges its client credentials at IMS, once, for later requests too', async () => {
    const { fetch, requests } = platform();
    const aep = connector(fetch);
    await aep.lookup(phone, signal);
    await aep.lookup(phone, signal);
    const tokenRequests = requests.filter((r) => r.url.host === 'ims-na1.adobelogin.com');
    expect(tokenRequests).toHaveLength(1);
    const [tokenRequest] = tokenRequests as [RecordedRequest];
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.url.pathname).toBe('/ims/token/v3');
    const form = new URLSearchParams(tokenRequest.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('client-123');
    expect(form.get('client_secret')).toBe('s3cret');
  });

  it('asks for the profile by the configured namespace with the platform headers', async () => {
    const { fetch, requests } = platform();
    await connector(fetch).lookup(phone, signal);
    const profileRequest = requests.find(
      (r) => r.url.searchParams.get('schema.name') === '_xdm.context.profile',
    );
    expect(profileRequest?.url.origin + (profileRequest?.url.pathname ?? '')).toBe(
      'https://platform.adobe.io/data/core/ups/access/entities',
    );
    expect(profileRequest?.url.searchParams.get('entityId')).toBe('+442079460123');
    expect(profileRequest?.url.searchParams.get('entityIdNS')).toBe('mobilenr');
    expect(profileRequest?.headers.get('authorization')).toMatch(/^Bearer eyJ/);
    expect(profileRequest?.headers.get('x-api-key')).toBe('client-123');
    expect(profileRequest?.headers.get('x-gw-ims-org-id')).toBe('ABC123@AdobeOrg');
    expect(profileRequest?.headers.get('x-sandbox-name')).toBe('prod');
  });

  it('maps the documented profile: name, emails, ecid, updatedAt', async () => {
    const [match] = await connector().lookup(phone, signal);
    expect(match?.profile).toMatchObject({
      id: 'BVrqzwVv7o2p3naHvnsWpqZXv3KJgA',
      source: 'aep',
      firstName: 'Jane',
      lastName: 'Doe',
      updatedAt: '2018-08-28T20:57:24.000Z',
    });
    expect(match?.profile.emails).toEqual(['janedoe@example.com', 'janesmith@example.com']);
    expect(match?.profile.attributes.ecid).toBe('89149270342662559642753730269986316601');
  });

  it('reads events of the time window newest first, following _links.next', async () => {
    const { fetch, requests } = platform();
    const [match] = await connector(fetch).lookup(phone, signal);
    const eventRequests = requests.filter(
      (r) => r.url.searchParams.get('schema.name') === '_xdm.context.experienceevent',
    );
    expect(eventRequests).toHaveLength(2);
    const first = eventRequests[0]?.url.searchParams;
    expect(first?.get('relatedSchema.name')).toBe('_xdm.context.profile');
    expect(first?.get('relatedEntityIdNS')).toBe('mobilenr');
    expect(first?.get('orderby')).toBe('-timestamp');
    expect(first?.get('endTime')).toBe(String(now.getTime()));
    expect(first?.get('startTime')).toBe(String(now.getTime() - 30 * 60_000));
    expect(first?.get('limit')).toBe('10');
    // The documented next link is relative to the access API.
    expect(eventRequests[1]?.url.pathname).toBe('/data/core/ups/access/entities');
    expect(eventRequests[1]?.url.searchParams.get('start')).toBe(
      'c8d11988-6b56-4571-a123-b6ce74236037',
    );
    expect(match?.activity).toEqual([
      {
        id: 'c8d11988-6b56-4571-a123-b6ce74236037',
        at: '2018-07-10T22:07:57.000Z',
        type: 'page_view',
        title: 'Fernie Snow',
        source: 'aep',
      },
      {
        id: 'c8d11988-6b56-4571-a123-b6ce74236036',
        at: '2018-07-10T22:07:56.000Z',
        type: 'page_view',
        title: 'Fernie Snow',
        source: 'aep',
      },
    ]);
  });

  it('maps product views, cart adds, checkouts and purchases with titles, URLs and values', async () => {
    const { fetch } = platform(['aep-events-commerce']);
    const [viewed] = await connector(fetch).lookup(phone, signal);
    expect(viewed?.activity).toEqual([
      {
        id: 'cb10369f-a47b-4e65-afb4-06e1ad78a648',
        at: '2019-07-31T23:15:39.000Z',
        type: 'product_view',
        title: 'Red shoe',
        value: 934.8,
        source: 'aep',
      },
    ]);
    const shop = platform(['aep-events-xdm-web-commerce']);
    const [bought] = await connector(shop.fetch).lookup(phone, signal);
    expect(bought?.activity.map((e) => [e.type, e.title, e.url, e.value, e.currency])).toEqual([
      ['purchase', 'Order confirmed', 'https://shop.example.com/order/done', 24.9, 'GBP'],
      ['checkout', 'Checkout', 'https://shop.example.com/checkout', undefined, undefined],
      ['cart_add', 'Drip tray', 'https://shop.example.com/p/drip-tray', 24.9, undefined],
    ]);
  });

  it('reports too many related identities (422) in words an admin understands', async () => {
    const { fetch } = replayFetch((request) =>
      request.url.host === 'ims-na1.adobelogin.com'
        ? fixture('aep-ims-token')
        : fixture('aep-too-many-identities'),
    );
    await expect(connector(fetch).lookup(phone, signal)).rejects.toThrow(
      /too many related identities/,
    );
  });

  it('finds nobody on 404, and never asks for events then', async () => {
    const { fetch, requests } = replayFetch((request) =>
      request.url.host === 'ims-na1.adobelogin.com'
        ? fixture('aep-ims-token')
        : { status: 404, response: { title: 'Not found' } },
    );
    expect(await connector(fetch).lookup(phone, signal)).toEqual([]);
    expect(requests).toHaveLength(2);
  });

  it('checks its config keys', () => {
    expect(aepConnectorType.check(config)).toEqual([]);
    const problems = aepConnectorType.check({ id: 'aep', type: 'aep', clientSecret: 'x' });
    expect(problems.map((p) => p.key)).toEqual([
      'clientId',
      'clientSecretEnv',
      'orgId',
      'namespace',
    ]);
  });

  it('says which environment variable is missing', async () => {
    const aep = createAepConnector(config, {
      fetch: platform().fetch,
      secret: () => undefined,
      now: () => now,
    });
    await expect(aep.lookup(phone, signal)).rejects.toThrow(
      'the environment variable AEP_CLIENT_SECRET is not set',
    );
  });
});
