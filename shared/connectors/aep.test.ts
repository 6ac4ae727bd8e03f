import { afterEach, describe, expect, it } from 'vitest';
import { loggedCallReadBack } from '../../test-support/logged-call-fixture';
import { fixture, replayFetch } from '../../test-support/replay';
import {
  type ReplayedRequest,
  startVendorReplay,
  type VendorReplay,
} from '../../test-support/replay-server';
import { aepConnectorType, createAepConnector } from './aep';
import type { ConnectorConfig } from './connector';

const now = new Date('2026-11-21T12:00:00Z');
const signal = new AbortController().signal;
const phone = { namespace: 'phone', value: '+442079460123' };
const ENTITIES = '/data/core/ups/access/entities';

function config(baseUrl: string): ConnectorConfig {
  return {
    id: 'aep',
    type: 'aep',
    baseUrl,
    tokenUrl: `${baseUrl}/ims/token/v3`,
    clientId: 'client-123',
    clientSecretEnv: 'AEP_CLIENT_SECRET',
    orgId: 'ABC123@AdobeOrg',
    sandbox: 'prod',
    namespace: 'mobilenr',
    eventMinutes: 30,
    eventLimit: 10,
  };
}

const param = (r: ReplayedRequest, name: string) => r.url.searchParams.get(name);
const isEvents = (r: ReplayedRequest) => param(r, 'schema.name') === '_xdm.context.experienceevent';
const isCalls = (r: ReplayedRequest) => isEvents(r) && param(r, 'property') !== null;

/** IMS's token endpoint and the Profile access entities endpoint, with their documented answers. */
function platform(firstEvents = 'aep-events-page-1'): Promise<VendorReplay> {
  return startVendorReplay([
    { method: 'POST', path: '/ims/token/v3', reply: fixture('aep-ims-token') },
    {
      method: 'GET',
      path: ENTITIES,
      when: (r) => param(r, 'schema.name') === '_xdm.context.profile',
      reply: fixture('aep-profile-entity'),
    },
    {
      method: 'GET',
      path: ENTITIES,
      when: (r) => isCalls(r),
      reply: fixture('aep-events-call-logged'),
    },
    {
      method: 'GET',
      path: ENTITIES,
      when: (r) => isEvents(r) && !isCalls(r),
      reply: (r) => fixture(param(r, 'start') ? 'aep-events-page-2' : firstEvents),
    },
  ]);
}

function connector(baseUrl: string, secret = 's3cret') {
  return createAepConnector(config(baseUrl), {
    fetch: (input, init) => fetch(input, init),
    secret: (name) => (name === 'clientSecret' ? secret : undefined),
    now: () => now,
  });
}

describe('Adobe Experience Platform connector, replayed at the documented endpoints only', () => {
  let server: VendorReplay;
  afterEach(async () => server?.close());

  it('exchanges its client credentials at IMS, once, for later requests too', async () => {
    server = await platform();
    const aep = connector(server.url);
    await aep.lookup(phone, signal);
    await aep.lookup(phone, signal);
    expect(server.undocumented).toEqual([]);
    const tokenRequests = server.requests.filter((r) => r.url.pathname === '/ims/token/v3');
    expect(tokenRequests).toHaveLength(1);
    const form = new URLSearchParams(tokenRequests[0]?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('client-123');
    expect(form.get('client_secret')).toBe('s3cret');
  });

  it('asks for the profile by the configured namespace with the platform headers', async () => {
    server = await platform();
    await connector(server.url).lookup(phone, signal);
    const profile = server.requests.find((r) => param(r, 'schema.name') === '_xdm.context.profile');
    expect(profile?.url.searchParams.get('entityId')).toBe('+442079460123');
    expect(profile?.url.searchParams.get('entityIdNS')).toBe('mobilenr');
    expect(profile?.headers.get('authorization')).toMatch(/^Bearer eyJ/);
    expect(profile?.headers.get('x-api-key')).toBe('client-123');
    expect(profile?.headers.get('x-gw-ims-org-id')).toBe('ABC123@AdobeOrg');
    expect(profile?.headers.get('x-sandbox-name')).toBe('prod');
  });

  it('maps the documented profile: name, emails, ecid, updatedAt', async () => {
    server = await platform();
    const [match] = await connector(server.url).lookup(phone, signal);
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
    server = await platform();
    const [match] = await connector(server.url).lookup(phone, signal);
    expect(server.undocumented).toEqual([]);
    const pages = server.requests.filter((r) => isEvents(r) && !isCalls(r));
    expect(pages).toHaveLength(2);
    const first = pages[0]?.url.searchParams;
    expect(first?.get('relatedSchema.name')).toBe('_xdm.context.profile');
    expect(first?.get('relatedEntityIdNS')).toBe('mobilenr');
    expect(first?.get('orderby')).toBe('-timestamp');
    expect(first?.get('endTime')).toBe(String(now.getTime()));
    expect(first?.get('startTime')).toBe(String(now.getTime() - 30 * 60_000));
    expect(first?.get('limit')).toBe('10');
    // The documented next link is relative to the access API.
    expect(pages[1]?.url.pathname).toBe(ENTITIES);
    expect(pages[1]?.url.searchParams.get('start')).toBe('c8d11988-6b56-4571-a123-b6ce74236037');
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

  it('reads the calls our sink logged, by the documented property filter, as contacts', async () => {
    server = await platform();
    const [match] = await connector(server.url).lookup(phone, signal);
    const calls = server.requests.find(isCalls);
    expect(calls?.url.searchParams.get('property')).toBe('eventType=callCenter.callLogged');
    expect(calls?.url.searchParams.get('orderby')).toBe('-timestamp');
    expect(calls?.url.searchParams.get('startTime')).toBe(String(now.getTime() - 90 * 86_400_000));
    expect(match?.contacts).toEqual([loggedCallReadBack('aep')]);
  });

  it('maps product views, cart adds, checkouts and purchases with titles, URLs and values', async () => {
    server = await platform('aep-events-commerce');
    const [viewed] = await connector(server.url).lookup(phone, signal);
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
    await server.close();
    server = await platform('aep-events-xdm-web-commerce');
    const [bought] = await connector(server.url).lookup(phone, signal);
    expect(bought?.activity.map((e) => [e.type, e.title, e.url, e.value, e.currency])).toEqual([
      ['purchase', 'Order confirmed', 'https://shop.example.com/order/done', 24.9, 'GBP'],
      ['checkout', 'Checkout', 'https://shop.example.com/checkout', undefined, undefined],
      ['cart_add', 'Drip tray', 'https://shop.example.com/p/drip-tray', 24.9, undefined],
    ]);
  });

  it('reports too many related identities (422) in words an admin understands', async () => {
    server = await startVendorReplay([
      { method: 'POST', path: '/ims/token/v3', reply: fixture('aep-ims-token') },
      { method: 'GET', path: ENTITIES, reply: fixture('aep-too-many-identities') },
    ]);
    await expect(connector(server.url).lookup(phone, signal)).rejects.toThrow(
      /too many related identities/,
    );
  });

  it('finds nobody on 404, and never asks for events then', async () => {
    server = await startVendorReplay([
      { method: 'POST', path: '/ims/token/v3', reply: fixture('aep-ims-token') },
    ]);
    expect(await connector(server.url).lookup(phone, signal)).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('says which environment variable is missing', async () => {
    server = await platform();
    await expect(connector(server.url, '').lookup(phone, signal)).rejects.toThrow(
      'the environment variable AEP_CLIENT_SECRET is not set',
    );
  });
});

describe('Adobe Experience Platform connector', () => {
  it('signs in at IMS (NA1) by default', async () => {
    const { fetch, requests } = replayFetch(() => fixture('aep-ims-token'));
    const { tokenUrl: _, baseUrl: __, ...defaults } = config('https://x.example.com');
    await createAepConnector(defaults, { fetch, secret: () => 's', now: () => now })
      .lookup(phone, signal)
      .catch(() => {});
    expect(requests[0]?.url.href).toBe('https://ims-na1.adobelogin.com/ims/token/v3');
    expect(requests[1]?.url.origin).toBe('https://platform.adobe.io');
  });

  it('checks its config keys', () => {
    expect(aepConnectorType.check(config('https://platform.adobe.io'))).toEqual([]);
    const problems = aepConnectorType.check({ id: 'aep', type: 'aep', clientSecret: 'x' });
    expect(problems.map((p) => p.key)).toEqual([
      'clientId',
      'clientSecretEnv',
      'orgId',
      'namespace',
    ]);
  });
});
