import { describe, expect, it } from 'vitest';
import type { ConnectorConfig } from './connector';
import { createDynamicsConnector, dynamicsConnectorType } from './dynamics';
import { fixture, replayFetch } from './replay';

const config: ConnectorConfig = {
  id: 'crm',
  type: 'dynamics',
  baseUrl: 'https://contoso.crm4.dynamics.com',
  tenantId: 'tenant-1',
  clientId: 'app-1',
  clientSecretEnv: 'DYNAMICS_CLIENT_SECRET',
};
const signal = new AbortController().signal;

function platform() {
  return replayFetch((request) => {
    if (request.url.host === 'login.microsoftonline.com')
      return {
        status: 200,
        response: { token_type: 'Bearer', expires_in: 3599, access_token: 'ey.entra' },
      };
    if (request.url.pathname.endsWith('/contacts')) return fixture('dynamics-contacts');
    return fixture('dynamics-incidents');
  });
}

function connector(fetch = platform().fetch, accessToken?: () => Promise<string>) {
  return createDynamicsConnector(config, {
    fetch,
    secret: (name) => (name === 'clientSecret' ? 'app-secret' : undefined),
    now: () => new Date('2026-11-21T12:00:00Z'),
    ...(accessToken ? { accessToken } : {}),
  });
}

describe('Dynamics 365 connector', () => {
  it('signs in at Entra ID with client credentials for the org scope', async () => {
    const { fetch, requests } = platform();
    await connector(fetch).lookup({ namespace: 'phone', value: '+442079460123' }, signal);
    const tokenRequest = requests[0];
    expect(tokenRequest?.url.href).toBe(
      'https://login.microsoftonline.com/tenant-1/oauth2/v2.0/token',
    );
    const form = new URLSearchParams(tokenRequest?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('https://contoso.crm4.dynamics.com/.default');
    expect(requests[1]?.headers.get('authorization')).toBe('Bearer ey.entra');
  });

  it('looks the contact up across phone columns and number variants', async () => {
    const { fetch, requests } = platform();
    await connector(fetch).lookup({ namespace: 'phone', value: '+442079460123' }, signal);
    const contacts = requests[1];
    expect(contacts?.url.pathname).toBe('/api/data/v9.2/contacts');
    const filter = contacts?.url.searchParams.get('$filter') ?? '';
    expect(filter).toContain("telephone1 eq '+442079460123'");
    expect(filter).toContain("mobilephone eq '020 7946 0123'");
    expect(filter).toContain("telephone2 eq '02079460123'");
    expect(filter.split(' or ')).toHaveLength(18);
    expect(contacts?.url.search).not.toContain('+eq+');
    expect(contacts?.url.searchParams.get('$top')).toBe('5');
    expect(contacts?.headers.get('Prefer')).toContain('FormattedValue');
  });

  it('fetches the latest case of the contact and gives record URLs for the screen pop', async () => {
    const { fetch, requests } = platform();
    const [match] = await connector(fetch).lookup(
      { namespace: 'phone', value: '+442079460123' },
      signal,
    );
    const incidents = requests[2]?.url.searchParams;
    expect(incidents?.get('$filter')).toBe(
      '_customerid_value eq a0dbf27c-8efb-e511-80d2-00155db07c77',
    );
    expect(incidents?.get('$orderby')).toBe('createdon desc');
    expect(incidents?.get('$top')).toBe('1');
    expect(match?.profile).toEqual({
      id: 'a0dbf27c-8efb-e511-80d2-00155db07c77',
      source: 'crm',
      displayName: 'Yvonne McKay (sample)',
      firstName: 'Yvonne',
      lastName: 'McKay (sample)',
      emails: ['yvonne@example.com'],
      phones: ['020 7946 0123'],
      owner: { id: '5d1b8c0e-3a6a-e511-80d4-00155d2a68d1', name: 'Marco Rossi' },
      updatedAt: '2026-11-18T09:12:44.000Z',
      attributes: {},
      url: 'https://contoso.crm4.dynamics.com/main.aspx?etn=contact&id=a0dbf27c-8efb-e511-80d2-00155db07c77&pagetype=entityrecord',
    });
    expect(match?.cases).toEqual([
      {
        id: '1c3b5f7a-2d4e-e611-80d2-00155db07c77',
        title: 'Cracked drip tray',
        number: 'CAS-01042-Z8Q1T2',
        status: 'Active',
        createdAt: '2026-11-19T08:30:00.000Z',
        url: 'https://contoso.crm4.dynamics.com/main.aspx?etn=incident&id=1c3b5f7a-2d4e-e611-80d2-00155db07c77&pagetype=entityrecord',
      },
    ]);
  });

  it("uses the agent's own token instead of client credentials when given one", async () => {
    const { fetch, requests } = platform();
    await connector(fetch, async () => 'agent-token').lookup(
      { namespace: 'email', value: "o'neil@example.com" },
      signal,
    );
    expect(requests.some((r) => r.url.host === 'login.microsoftonline.com')).toBe(false);
    expect(requests[0]?.headers.get('authorization')).toBe('Bearer agent-token');
    expect(requests[0]?.url.searchParams.get('$filter')).toBe(
      "emailaddress1 eq 'o''neil@example.com'",
    );
  });

  it('checks its config keys', () => {
    expect(dynamicsConnectorType.check(config)).toEqual([]);
    expect(
      dynamicsConnectorType
        .check({ id: 'd', type: 'dynamics', phoneFields: ['telephone1; drop'] })
        .map((p) => p.key),
    ).toEqual(['baseUrl', 'tenantId', 'clientId', 'clientSecretEnv', 'phoneFields']);
  });
});
