import { afterEach, describe, expect, it } from 'vitest';
import { loggedCallReadBack } from '../../test-support/logged-call-fixture';
import { fixture, replayFetch } from '../../test-support/replay';
import {
  type ReplayedRequest,
  startVendorReplay,
  type VendorReplay,
} from '../../test-support/replay-server';
import type { ConnectorConfig } from './connector';
import { createUnomiConnector, unomiConnectorType } from './unomi';

const signal = new AbortController().signal;
const phone = { namespace: 'phone', value: '+442079460123' };

const conditionType = (request: ReplayedRequest) =>
  (JSON.parse(request.body) as { condition?: { type?: string } }).condition?.type;

/** Unomi's documented endpoints and nothing else. */
function unomi(): Promise<VendorReplay> {
  return startVendorReplay([
    { method: 'POST', path: '/cxs/profiles/search', reply: fixture('unomi-profile-search') },
    {
      method: 'POST',
      path: '/cxs/events/search',
      when: (r) => conditionType(r) === 'eventPropertyCondition',
      reply: fixture('unomi-events-search'),
    },
    {
      method: 'POST',
      path: '/cxs/events/search',
      when: (r) => conditionType(r) === 'booleanCondition',
      reply: fixture('unomi-events-search-calls'),
    },
  ]);
}

function connector(baseUrl: string, fetchImpl = (i: string, init?: RequestInit) => fetch(i, init)) {
  const config: ConnectorConfig = {
    id: 'unomi',
    type: 'unomi',
    baseUrl,
    user: 'mytenant',
    passwordEnv: 'UNOMI_PRIVATE_KEY',
  };
  return createUnomiConnector(config, {
    fetch: fetchImpl,
    secret: (name) => (name === 'password' ? 'pk' : undefined),
    now: () => new Date(),
  });
}

describe('Apache Unomi connector, replayed at the documented endpoints only', () => {
  let server: VendorReplay;
  afterEach(async () => server?.close());

  it('searches profiles by the phone property over the number variants, with basic auth', async () => {
    server = await unomi();
    await connector(server.url).lookup(phone, signal);
    expect(server.undocumented).toEqual([]);
    const search = server.requests[0];
    expect(search?.headers.get('authorization')).toBe(`Basic ${btoa('mytenant:pk')}`);
    expect(JSON.parse(search?.body ?? '')).toEqual({
      offset: 0,
      limit: 5,
      condition: {
        type: 'profilePropertyCondition',
        parameterValues: {
          propertyName: 'properties.phoneNumber',
          comparisonOperator: 'in',
          propertyValues: [
            '+442079460123',
            '020 7946 0123',
            '+44 20 7946 0123',
            '442079460123',
            '02079460123',
            '2079460123',
          ],
        },
      },
    });
  });

  it('reads the profile events with the manual recipe, newest first, and shows its view event', async () => {
    server = await unomi();
    const [match] = await connector(server.url).lookup(phone, signal);
    expect(server.undocumented).toEqual([]);
    const events = server.requests.find((r) => conditionType(r) === 'eventPropertyCondition');
    expect(events?.method).toBe('POST');
    expect(events?.url.pathname).toBe('/cxs/events/search');
    expect(events?.headers.get('authorization')).toBe(`Basic ${btoa('mytenant:pk')}`);
    expect(JSON.parse(events?.body ?? '')).toEqual({
      offset: 0,
      limit: 50,
      sortby: 'timeStamp:desc',
      condition: {
        type: 'eventPropertyCondition',
        parameterValues: {
          propertyName: 'profileId',
          comparisonOperator: 'equals',
          propertyValue: 'profile-1',
        },
      },
    });
    expect(match?.activity).toEqual([
      {
        id: 'b7a2c1d0-5a0e-4bd4-9f41-9a7d2c2f3e10',
        at: '2026-11-20T10:14:30.000Z',
        type: 'page_view',
        title: 'homepage',
        source: 'unomi',
      },
    ]);
  });

  it('maps the profile and its consents', async () => {
    server = await unomi();
    const [match] = await connector(server.url).lookup(phone, signal);
    expect(match?.profile).toEqual({
      id: 'profile-1',
      source: 'unomi',
      firstName: 'John',
      lastName: 'Birthday',
      emails: ['john.birthday@example.com'],
      phones: ['+442079460123'],
      attributes: { birthDate: '2000-03-24', nbOfVisits: 4 },
      consent: { newsletter: 'granted', personalization: 'denied' },
      updatedAt: '2026-11-20T10:15:00.000Z',
    });
  });

  it('reads the calls our sink logged as the contact history, by event type', async () => {
    server = await unomi();
    const [match] = await connector(server.url).lookup(phone, signal);
    const calls = server.requests.find((r) => conditionType(r) === 'booleanCondition');
    expect(JSON.parse(calls?.body ?? '').condition.parameterValues.subConditions[1]).toEqual({
      type: 'eventTypeCondition',
      parameterValues: { eventTypeId: 'callLogged' },
    });
    expect(match?.contacts).toEqual([loggedCallReadBack('unomi')]);
  });

  it('searches by email with an equals condition', async () => {
    server = await unomi();
    await connector(server.url).lookup({ namespace: 'email', value: 'john@example.com' }, signal);
    expect(JSON.parse(server.requests[0]?.body ?? '').condition.parameterValues).toEqual({
      propertyName: 'properties.email',
      comparisonOperator: 'equals',
      propertyValue: 'john@example.com',
    });
  });

  it('fails, not "no events", when the events endpoint is missing', async () => {
    server = await startVendorReplay([
      { method: 'POST', path: '/cxs/profiles/search', reply: fixture('unomi-profile-search') },
    ]);
    await expect(connector(server.url).lookup(phone, signal)).rejects.toThrow(
      'Apache Unomi answered 404',
    );
  });
});

describe('Apache Unomi connector', () => {
  it('finds nobody in an empty list', async () => {
    const { fetch } = replayFetch(() => ({ status: 200, response: { list: [], totalSize: 0 } }));
    expect(await connector('http://unomi.example.com', fetch).lookup(phone, signal)).toEqual([]);
  });

  it('checks its config keys', () => {
    expect(
      unomiConnectorType.check({
        id: 'u',
        type: 'unomi',
        baseUrl: 'http://unomi.example.com:8181',
        user: 'mytenant',
        passwordEnv: 'UNOMI_PRIVATE_KEY',
      }),
    ).toEqual([]);
    expect(unomiConnectorType.check({ id: 'u', type: 'unomi' }).map((p) => p.key)).toEqual([
      'baseUrl',
      'user',
      'passwordEnv',
    ]);
  });
});
