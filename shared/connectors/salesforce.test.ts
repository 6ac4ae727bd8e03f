import { exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../../test-support/replay';
import {
  type DocumentedRoute,
  type ReplayedRequest,
  startVendorReplay,
  type VendorReplay,
} from '../../test-support/replay-server';
import { SALESFORCE_API, salesforceRoutes, soqlOf } from '../../test-support/salesforce-replay';
import type { ConnectorConfig } from './connector';
import {
  createSalesforceConnector,
  lightningBase,
  salesforceConnectorType,
  soslTerm,
} from './salesforce';

const CONTACT = '003D000000QOcfaIAD';
const now = new Date('2026-11-21T12:00:00Z');
const signal = new AbortController().signal;
const phone = { namespace: 'phone', value: '+442079460123' };
/** The REST API's documented search and query resources and the OAuth token endpoint. */
function salesforce(
  search = 'salesforce-search-contacts',
  token: DocumentedRoute['reply'] = fixture('salesforce-oauth-token'),
): Promise<VendorReplay> {
  return startVendorReplay(salesforceRoutes({ search, token }));
}

function connector(
  baseUrl: string,
  extra: Partial<ConnectorConfig> = {},
  secrets: Record<string, string> = { clientSecret: 'sf-secret' },
) {
  const config: ConnectorConfig = {
    id: 'sf',
    type: 'salesforce',
    baseUrl,
    clientId: '3MVG9VwZxxW3bBQjhE6m21CG2nSS4WC',
    clientSecretEnv: 'SF_CLIENT_SECRET',
    ...extra,
  };
  return createSalesforceConnector(config, {
    fetch: (input, init) => fetch(input, init),
    secret: (name) => secrets[name],
    now: () => now,
  });
}

describe('Salesforce connector, replayed at the documented endpoints only', () => {
  let server: VendorReplay;
  afterEach(async () => server?.close());

  it('signs in with client credentials at the My Domain token endpoint by default', async () => {
    server = await salesforce();
    await connector(server.url).lookup(phone, signal);
    expect(server.undocumented).toEqual([]);
    const token = server.requests[0];
    expect(token?.url.pathname).toBe('/services/oauth2/token');
    const form = new URLSearchParams(token?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: '3MVG9VwZxxW3bBQjhE6m21CG2nSS4WC',
      client_secret: 'sf-secret',
    });
    const { access_token } = fixture('salesforce-oauth-token').response as { access_token: string };
    expect(server.requests[1]?.headers.get('authorization')).toBe(`Bearer ${access_token}`);
  });

  it('finds contacts with SOSL over every phone field and the number variants', async () => {
    server = await salesforce();
    await connector(server.url).lookup(phone, signal);
    const search = server.requests[1];
    expect(search?.url.pathname).toBe(`${SALESFORCE_API}/search/`);
    expect(soqlOf(search as ReplayedRequest)).toBe(
      'FIND {"\\+442079460123" OR "020 7946 0123" OR "\\+44 20 7946 0123" OR "442079460123" OR "02079460123" OR "2079460123"} IN PHONE FIELDS ' +
        'RETURNING Contact(Id, Name, FirstName, LastName, Email, Phone, MobilePhone, HomePhone, OtherPhone, LastModifiedDate, OwnerId, Owner.Name, Owner.Email LIMIT 5)',
    );
  });

  it('maps the contact with its owner as the own manager and a Lightning record URL', async () => {
    server = await salesforce();
    const [match] = await connector(server.url).lookup(phone, signal);
    expect(match?.profile).toEqual({
      id: CONTACT,
      source: 'sf',
      displayName: 'Jane Doe',
      firstName: 'Jane',
      lastName: 'Doe',
      emails: ['jane.doe@example.com'],
      phones: ['020 7946 0123'],
      owner: { id: '005D0000001KyEIIA0', name: 'Marco Rossi', email: 'marco.rossi@example.com' },
      attributes: {},
      updatedAt: '2026-11-18T09:12:44.000Z',
      url: `${server.url}/lightning/r/Contact/${CONTACT}/view`,
    });
  });

  it("reads the contact's latest case with SOQL, with its record URL", async () => {
    server = await salesforce();
    const [match] = await connector(server.url).lookup(phone, signal);
    const cases = server.requests.find((r) => soqlOf(r).includes(' FROM Case '));
    expect(soqlOf(cases as ReplayedRequest)).toBe(
      `SELECT Id, CaseNumber, Subject, Status, CreatedDate FROM Case WHERE ContactId = '${CONTACT}' ORDER BY CreatedDate DESC LIMIT 1`,
    );
    expect(match?.cases).toEqual([
      {
        id: '500D000000IcM2bIAF',
        title: 'Cracked drip tray',
        number: '00001042',
        status: 'Working',
        createdAt: '2026-11-19T08:30:00.000Z',
        url: `${server.url}/lightning/r/Case/500D000000IcM2bIAF/view`,
      },
    ]);
  });

  it("reads the contact's Tasks (logged calls, emails) as its contact history", async () => {
    server = await salesforce();
    const [match] = await connector(server.url).lookup(phone, signal);
    const tasks = server.requests.find((r) => soqlOf(r).includes(' FROM Task '));
    expect(soqlOf(tasks as ReplayedRequest)).toContain(
      `FROM Task WHERE WhoId = '${CONTACT}' ORDER BY CreatedDate DESC LIMIT 10`,
    );
    expect(match?.contacts).toEqual([
      {
        // CallObject carries the after-call event's id our sink gave the Task.
        id: '3b241101-e2bb-4255-8caf-4136c566a962',
        at: '2026-11-19T16:04:05.000Z',
        channel: 'call',
        direction: 'inbound',
        title: 'Call with Jane Doe: Follow-up needed',
        disposition: 'Follow-up needed',
        note: 'Asked about the drip tray; we call back tomorrow.',
        durationSeconds: 312,
        caseId: '500D000000IcM2bIAF',
        source: 'sf',
        url: `${server.url}/lightning/r/Task/00TD000000gMRLbMAO/view`,
      },
      {
        id: '00TD000000gMQxzMAG',
        at: '2026-11-19T08:31:12.000Z',
        channel: 'email',
        title: 'Email: Cracked drip tray, photos attached',
        caseId: '500D000000IcM2bIAF',
        source: 'sf',
        url: `${server.url}/lightning/r/Task/00TD000000gMQxzMAG/view`,
      },
    ]);
  });

  it('still shows the contact when Task fields are not readable (400 INVALID_FIELD)', async () => {
    server = await startVendorReplay(
      salesforceRoutes({
        tasks: {
          status: 400,
          response: [
            { message: "No such column 'CallObject' on entity 'Task'", errorCode: 'INVALID_FIELD' },
          ],
        },
      }),
    );
    const [match] = await connector(server.url).lookup(phone, signal);
    expect(match?.profile.displayName).toBe('Jane Doe');
    expect(match?.cases).toHaveLength(1);
    expect(match?.contacts).toBeUndefined();
  });

  it('searches person accounts too where enabled, and follows their person contact', async () => {
    server = await salesforce('salesforce-search-person-accounts');
    const [match] = await connector(server.url, { personAccounts: true }).lookup(phone, signal);
    expect(server.undocumented).toEqual([]);
    expect(soqlOf(server.requests[1] as ReplayedRequest)).toContain(
      'Account(Id, Name, FirstName, LastName, PersonEmail, Phone, PersonMobilePhone, PersonHomePhone, PersonContactId, LastModifiedDate, OwnerId, Owner.Name, Owner.Email WHERE IsPersonAccount = true LIMIT 5)',
    );
    expect(match?.profile).toMatchObject({
      id: '001D000000IqhSLIAZ',
      displayName: 'John Smith',
      phones: ['+44 7700 900123'],
      attributes: { personAccount: true },
      url: `${server.url}/lightning/r/Account/001D000000IqhSLIAZ/view`,
    });
    const cases = server.requests.find((r) => soqlOf(r).includes(' FROM Case '));
    expect(soqlOf(cases as ReplayedRequest)).toContain("WHERE ContactId = '003D000000QOdxyIAD'");
  });

  it('finds by email in email fields', async () => {
    server = await salesforce();
    await connector(server.url).lookup(
      { namespace: 'email', value: 'jane.doe@example.com' },
      signal,
    );
    expect(soqlOf(server.requests[1] as ReplayedRequest)).toMatch(
      /^FIND \{"jane\.doe@example\.com"\} IN EMAIL FIELDS RETURNING Contact\(/,
    );
  });

  it('signs in with the JWT bearer flow: an RS256 assertion the token endpoint verifies', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const certificateKey = await importSPKI(await exportSPKI(publicKey), 'RS256');
    server = await salesforce('salesforce-search-contacts', (request) => {
      const form = new URLSearchParams(request.body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
        return { status: 400, response: { error: 'unsupported_grant_type' } };
      return fixture('salesforce-jwt-token');
    });
    await connector(
      server.url,
      {
        clientSecretEnv: undefined,
        privateKeyEnv: 'SF_PRIVATE_KEY',
        username: 'integration@acme.example',
        audience: 'https://test.salesforce.com',
      },
      { privateKey: pem.replaceAll('\n', '\\n') },
    ).lookup(phone, signal);
    const form = new URLSearchParams(server.requests[0]?.body);
    const { payload, protectedHeader } = await jwtVerify(
      form.get('assertion') ?? '',
      certificateKey,
      { currentDate: now },
    );
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      iss: '3MVG9VwZxxW3bBQjhE6m21CG2nSS4WC',
      sub: 'integration@acme.example',
      aud: 'https://test.salesforce.com',
      exp: Math.floor(now.getTime() / 1000) + 180,
    });
    expect(server.requests[1]?.headers.get('authorization')).toMatch(/^Bearer 00Dxx0000001gPL!/);
    expect(server.undocumented).toEqual([]);
  });

  it('says the credentials were refused (invalid_client) in words an admin acts on', async () => {
    server = await salesforce('salesforce-search-contacts', {
      status: 400,
      response: { error: 'invalid_client', error_description: 'invalid client credentials' },
    });
    await expect(connector(server.url).lookup(phone, signal)).rejects.toThrow(
      'Salesforce sign-in answered 400 (invalid_client: invalid client credentials)',
    );
  });
});

describe('Salesforce connector', () => {
  it('escapes the characters SOSL reserves', () => {
    expect(soslTerm('+44 (20) 7946-0123')).toBe('"\\+44 \\(20\\) 7946\\-0123"');
    expect(soslTerm('o\'neil"x{y}')).toBe('"o\\\'neil\\"x\\{y\\}"');
  });

  it('links records on the My Domain Lightning host', () => {
    expect(lightningBase('https://acme.my.salesforce.com')).toBe(
      'https://acme.lightning.force.com',
    );
    expect(lightningBase('https://acme--uat.sandbox.my.salesforce.com')).toBe(
      'https://acme--uat.sandbox.lightning.force.com',
    );
  });

  it('checks its config keys', () => {
    const ok = {
      id: 'sf',
      type: 'salesforce',
      baseUrl: 'https://acme.my.salesforce.com',
      clientId: 'c',
      clientSecretEnv: 'SF_CLIENT_SECRET',
    };
    expect(salesforceConnectorType.check(ok)).toEqual([]);
    expect(
      salesforceConnectorType
        .check({ id: 'sf', type: 'salesforce', apiVersion: '62', privateKeyEnv: 'K' })
        .map((p) => p.key),
    ).toEqual(['baseUrl', 'clientId', 'username', 'apiVersion']);
    expect(
      salesforceConnectorType.check({ ...ok, clientSecretEnv: undefined }).map((p) => p.key),
    ).toEqual(['clientSecretEnv']);
  });
});
