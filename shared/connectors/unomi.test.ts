import { describe, expect, it } from 'vitest';
import type { ConnectorConfig } from './connector';
import { fixture, replayFetch } from './replay';
import { createUnomiConnector, unomiConnectorType } from './unomi';

const config: ConnectorConfig = {
  id: 'unomi',
  type: 'unomi',
  baseUrl: 'http://unomi.example.com:8181',
  user: 'mytenant',
  passwordEnv: 'UNOMI_PRIVATE_KEY',
};
const signal = new AbortController().signal;

function platform() {
  return replayFetch((request) =>
    request.url.pathname === '/cxs/profiles/search'
      ? fixture('unomi-profile-search')
      : fixture('unomi-profile-events'),
  );
}

function connector(fetch = platform().fetch) {
  return createUnomiConnector(config, {
    fetch,
    secret: (name) => (name === 'password' ? 'pk' : undefined),
    now: () => new Date(),
  });
}

describe('Apache Unomi connector', () => {
  it('searches profiles by the phone property over the number variants', async () => {
    const { fetch, requests } = platform();
    await connector(fetch).lookup({ namespace: 'phone', value: '+442079460123' }, signal);
    const [search, events] = requests;
    expect(search?.method).toBe('POST');
    expect(search?.url.href).toBe('http://unomi.example.com:8181/cxs/profiles/search');
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
    expect(events?.url.pathname).toBe('/cxs/profiles/profile-1/events');
    expect(events?.url.searchParams.get('sort')).toBe('timeStamp:desc');
  });

  it('maps the profile, its consents and its events', async () => {
    const [match] = await connector().lookup(
      { namespace: 'phone', value: '+442079460123' },
      signal,
    );
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

  it('searches by email with an equals condition', async () => {
    const { fetch, requests } = platform();
    await connector(fetch).lookup({ namespace: 'email', value: 'john@example.com' }, signal);
    expect(JSON.parse(requests[0]?.body ?? '').condition.parameterValues).toEqual({
      propertyName: 'properties.email',
      comparisonOperator: 'equals',
      propertyValue: 'john@example.com',
    });
  });

  it('finds nobody in an empty list', async () => {
    const { fetch } = replayFetch(() => ({ status: 200, response: { list: [], totalSize: 0 } }));
    expect(
      await connector(fetch).lookup({ namespace: 'phone', value: '+442079460123' }, signal),
    ).toEqual([]);
  });

  it('checks its config keys', () => {
    expect(unomiConnectorType.check(config)).toEqual([]);
    expect(unomiConnectorType.check({ id: 'u', type: 'unomi' }).map((p) => p.key)).toEqual([
      'baseUrl',
      'user',
      'passwordEnv',
    ]);
  });
});
