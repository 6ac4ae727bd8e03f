import { afterEach, describe, expect, it } from 'vitest';
import { fixture, replayFetch } from '../../test-support/replay';
import { startVendorReplay, type VendorReplay } from '../../test-support/replay-server';
import type { ConnectorConfig } from './connector';
import { createDynamicsConnector, dynamicsConnectorType, odataQuery } from './dynamics';

const CONTACT = 'a0dbf27c-8efb-e511-80d2-00155db07c77';
const signal = new AbortController().signal;
const phone = { namespace: 'phone', value: '+442079460123' };

function config(baseUrl: string): ConnectorConfig {
  return {
    id: 'crm',
    type: 'dynamics',
    baseUrl,
    tenantId: 'tenant-1',
    tokenUrl: `${baseUrl}/tenant-1/oauth2/v2.0/token`,
    clientId: 'app-1',
    clientSecretEnv: 'DYNAMICS_CLIENT_SECRET',
  };
}

/** Entra ID's token endpoint and the Dataverse Web API's documented entity sets, nothing else. */
function dataverse(): Promise<VendorReplay> {
  return startVendorReplay([
    {
      method: 'POST',
      path: '/tenant-1/oauth2/v2.0/token',
      reply: fixture('entra-client-credentials-token'),
    },
    { method: 'GET', path: '/api/data/v9.2/contacts', reply: fixture('dynamics-contacts') },
    { method: 'GET', path: '/api/data/v9.2/incidents', reply: fixture('dynamics-incidents') },
    { method: 'GET', path: '/api/data/v9.2/phonecalls', reply: fixture('dynamics-phonecalls') },
    {
      method: 'GET',
      path: '/api/data/v9.2/activitypointers',
      reply: fixture('dynamics-activitypointers'),
    },
  ]);
}

function connector(
  baseUrl: string,
  fetchImpl = (i: string, init?: RequestInit) => fetch(i, init),
  accessToken?: () => Promise<string>,
) {
  return createDynamicsConnector(config(baseUrl), {
    fetch: fetchImpl,
    secret: (name) => (name === 'clientSecret' ? 'app-secret' : undefined),
    now: () => new Date('2026-11-21T12:00:00Z'),
    ...(accessToken ? { accessToken } : {}),
  });
}

describe('Dynamics 365 connector, replayed at the documented endpoints only', () => {
  let server: VendorReplay;
  afterEach(async () => server?.close());

  it('signs in with client credentials for the org scope and sends the OData headers', async () => {
    server = await dataverse();
    await connector(server.url).lookup(phone, signal);
    expect(server.undocumented).toEqual([]);
    const [token, contacts] = server.requests;
    const form = new URLSearchParams(token?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe(`${server.url}/.default`);
    const { access_token } = fixture('entra-client-credentials-token').response as {
      access_token: string;
    };
    expect(contacts?.headers.get('authorization')).toBe(`Bearer ${access_token}`);
    expect(contacts?.headers.get('odata-version')).toBe('4.0');
    expect(contacts?.headers.get('odata-maxversion')).toBe('4.0');
    expect(contacts?.headers.get('prefer')).toContain('FormattedValue');
  });

  it('filters contacts across phone columns and number variants, + sent as %2B', async () => {
    server = await dataverse();
    await connector(server.url).lookup(phone, signal);
    const contacts = server.requests[1];
    expect(contacts?.url.pathname).toBe('/api/data/v9.2/contacts');
    // As sent on the wire: `+` is %2B, spaces %20, never a bare `+`.
    expect(contacts?.url.search).toContain('telephone1%20eq%20%27%2B442079460123%27');
    expect(contacts?.url.search).not.toContain('+');
    const filter = contacts?.url.searchParams.get('$filter') ?? '';
    expect(filter).toContain("telephone1 eq '+442079460123'");
    expect(filter).toContain("mobilephone eq '020 7946 0123'");
    expect(filter).toContain("telephone2 eq '02079460123'");
    expect(filter.split(' or ')).toHaveLength(18);
    expect(contacts?.url.searchParams.get('$top')).toBe('5');
  });

  it('gives the contact, its latest case and their record URLs for the screen pop', async () => {
    server = await dataverse();
    const [match] = await connector(server.url).lookup(phone, signal);
    const incidents = server.requests.find((r) => r.url.pathname.endsWith('/incidents'));
    expect(incidents?.url.searchParams.get('$filter')).toBe(`_customerid_value eq ${CONTACT}`);
    expect(incidents?.url.searchParams.get('$orderby')).toBe('createdon desc');
    expect(incidents?.url.searchParams.get('$top')).toBe('1');
    expect(match?.profile).toEqual({
      id: CONTACT,
      source: 'crm',
      displayName: 'Yvonne McKay (sample)',
      firstName: 'Yvonne',
      lastName: 'McKay (sample)',
      emails: ['yvonne@example.com'],
      phones: ['020 7946 0123'],
      owner: { id: '5d1b8c0e-3a6a-e511-80d4-00155d2a68d1', name: 'Marco Rossi' },
      updatedAt: '2026-11-18T09:12:44.000Z',
      attributes: {},
      url: `${server.url}/main.aspx?etn=contact&id=${CONTACT}&pagetype=entityrecord`,
    });
    expect(match?.cases).toEqual([
      {
        id: '1c3b5f7a-2d4e-e611-80d2-00155db07c77',
        title: 'Cracked drip tray',
        number: 'CAS-01042-Z8Q1T2',
        status: 'Active',
        createdAt: '2026-11-19T08:30:00.000Z',
        url: `${server.url}/main.aspx?etn=incident&id=1c3b5f7a-2d4e-e611-80d2-00155db07c77&pagetype=entityrecord`,
      },
    ]);
  });

  it('reads phone calls and other activities the contact took part in as its contact history', async () => {
    server = await dataverse();
    const [match] = await connector(server.url).lookup(phone, signal);
    const calls = server.requests.find((r) => r.url.pathname.endsWith('/phonecalls'));
    expect(calls?.url.searchParams.get('$filter')).toBe(
      `phonecall_activity_parties/any(p:p/_partyid_value eq ${CONTACT}) or _regardingobjectid_value eq ${CONTACT}`,
    );
    expect(calls?.url.searchParams.get('$orderby')).toBe('createdon desc');
    const others = server.requests.find((r) => r.url.pathname.endsWith('/activitypointers'));
    expect(others?.url.searchParams.get('$filter')).toMatch(/^activitytypecode ne 'phonecall' and/);
    expect(match?.contacts).toEqual([
      {
        id: '3b241101-e2bb-4255-8caf-4136c566a962',
        at: '2026-11-19T16:04:05.000Z',
        channel: 'call',
        direction: 'inbound',
        title: 'Call with Yvonne McKay (sample): Follow-up needed',
        disposition: 'Follow-up needed',
        note: 'Asked about the drip tray; we call back tomorrow.',
        durationSeconds: 360,
        source: 'crm',
        url: `${server.url}/main.aspx?etn=phonecall&id=3b241101-e2bb-4255-8caf-4136c566a962&pagetype=entityrecord`,
      },
      {
        id: '7d5f9a21-4c3b-e611-80d2-00155db07c77',
        at: '2026-11-19T08:31:12.000Z',
        channel: 'email',
        title: 'Cracked drip tray: photos attached',
        source: 'crm',
        url: `${server.url}/main.aspx?etn=email&id=7d5f9a21-4c3b-e611-80d2-00155db07c77&pagetype=entityrecord`,
      },
    ]);
  });

  it('still shows the contact when the account may not read activities (403), not on an outage', async () => {
    const routes = (status: number) =>
      startVendorReplay([
        {
          method: 'POST',
          path: '/tenant-1/oauth2/v2.0/token',
          reply: fixture('entra-client-credentials-token'),
        },
        { method: 'GET', path: '/api/data/v9.2/contacts', reply: fixture('dynamics-contacts') },
        { method: 'GET', path: '/api/data/v9.2/incidents', reply: fixture('dynamics-incidents') },
        {
          method: 'GET',
          path: '/api/data/v9.2/phonecalls',
          reply: { status, response: { error: { code: '0x80040220', message: 'no privilege' } } },
        },
        {
          method: 'GET',
          path: '/api/data/v9.2/activitypointers',
          reply: fixture('dynamics-activitypointers'),
        },
      ]);
    server = await routes(403);
    const [match] = await connector(server.url).lookup(phone, signal);
    expect(match?.cases).toHaveLength(1);
    expect(match?.contacts?.map((c) => c.channel)).toEqual(['email']);
    await server.close();
    server = await routes(500);
    await expect(connector(server.url).lookup(phone, signal)).rejects.toThrow('answered 500');
  });

  it("uses the agent's own token instead of client credentials when given one", async () => {
    server = await dataverse();
    await connector(server.url, undefined, async () => 'agent-token').lookup(
      { namespace: 'email', value: "o'neil@example.com" },
      signal,
    );
    expect(server.undocumented).toEqual([]);
    expect(server.requests.some((r) => r.url.pathname.endsWith('/token'))).toBe(false);
    expect(server.requests[0]?.headers.get('authorization')).toBe('Bearer agent-token');
    expect(server.requests[0]?.url.searchParams.get('$filter')).toBe(
      "emailaddress1 eq 'o''neil@example.com'",
    );
  });
});

describe('Dynamics 365 connector', () => {
  it('asks Entra ID of the configured tenant by default', async () => {
    const { fetch, requests } = replayFetch((request) =>
      request.url.host === 'login.microsoftonline.com'
        ? fixture('entra-client-credentials-token')
        : { status: 200, response: { value: [] } },
    );
    const { tokenUrl: _, ...noTokenUrl } = config('https://contoso.crm4.dynamics.com');
    await createDynamicsConnector(noTokenUrl, {
      fetch,
      secret: () => 's',
      now: () => new Date(),
    }).lookup(phone, signal);
    expect(requests[0]?.url.href).toBe(
      'https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token',
    );
  });

  it('encodes query options as the Web API takes them', () => {
    expect(odataQuery({ $filter: "telephone1 eq '+44 20'" })).toBe(
      "$filter=telephone1%20eq%20'%2B44%2020'",
    );
  });

  it('checks its config keys', () => {
    expect(dynamicsConnectorType.check(config('https://contoso.crm4.dynamics.com'))).toEqual([]);
    expect(
      dynamicsConnectorType
        .check({ id: 'd', type: 'dynamics', phoneFields: ['telephone1; drop'] })
        .map((p) => p.key),
    ).toEqual(['baseUrl', 'tenantId', 'clientId', 'clientSecretEnv', 'phoneFields']);
  });
});
