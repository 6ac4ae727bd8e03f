import { describe, expect, it } from 'vitest';
import type { ConnectorConfig } from './connector';
import { RateLimitedError } from './http';
import { fixture, replayFetch } from './replay';
import { createSegmentConnector, segmentConnectorType } from './segment';

const config: ConnectorConfig = {
  id: 'segment',
  type: 'segment',
  spaceId: 'lgJ4AAjFN4',
  accessTokenEnv: 'SEGMENT_ACCESS_TOKEN',
};
const now = new Date('2026-11-21T12:00:00Z');
const signal = new AbortController().signal;
const phone = { namespace: 'phone', value: '+442079460123' };

function connector(fetch: ReturnType<typeof replayFetch>['fetch']) {
  return createSegmentConnector(config, {
    fetch,
    secret: (name) => (name === 'accessToken' ? 'tok' : undefined),
    now: () => now,
  });
}

describe('Segment connector', () => {
  it('asks for traits and 14 days of events by the escaped external id, with basic auth', async () => {
    const { fetch, requests } = replayFetch((request) =>
      request.url.pathname.endsWith('/traits')
        ? fixture('segment-traits')
        : { status: 200, response: { data: [], cursor: { has_more: false, next: '' } } },
    );
    await connector(fetch).lookup(phone, signal);
    const [traits, events] = requests;
    // `+` is %2B in the path, as the Profile API asks.
    expect(traits?.url.href).toBe(
      'https://profiles.segment.com/v1/spaces/lgJ4AAjFN4/collections/users/profiles/phone:%2B442079460123/traits?limit=200',
    );
    expect(traits?.headers.get('authorization')).toBe(`Basic ${btoa('tok:')}`);
    expect(events?.url.pathname).toBe(
      '/v1/spaces/lgJ4AAjFN4/collections/users/profiles/phone:%2B442079460123/events',
    );
    expect(events?.url.searchParams.get('start')).toBe('2026-11-07T12:00:00.000Z');
    const byEmail = replayFetch(() => fixture('segment-not-found'));
    await connector(byEmail.fetch).lookup({ namespace: 'email', value: 'a+b@example.com' }, signal);
    expect(byEmail.requests[0]?.url.pathname).toContain(
      '/profiles/email:a%2Bb%40example.com/traits',
    );
  });

  it('maps the documented traits and events, following the cursor', async () => {
    let eventPages = 0;
    const { fetch, requests } = replayFetch((request) => {
      if (request.url.pathname.endsWith('/traits')) return fixture('segment-traits');
      eventPages += 1;
      return eventPages === 1
        ? fixture('segment-events')
        : { status: 200, response: { data: [], cursor: { has_more: false, next: '' } } };
    });
    const [match] = await connector(fetch).lookup(phone, signal);
    expect(requests[2]?.url.searchParams.get('next')).toBe(
      'MTUxMzc1NTQzNjg2NzAwMDAwMDo6YWpzLTcyMWFhNzFjNDM2ZWJhOTUyYmI1ZmNiMzJlZWI3MWMzLWNsZWFu',
    );
    expect(match?.profile).toEqual({
      id: 'use_RkjG0kW53igMijEISMH0vKBF4sL',
      source: 'segment',
      firstName: 'Bob',
      phones: ['+442079460123'],
      attributes: { emails_opened_last_30_days: 33 },
    });
    expect(match?.activity).toEqual([
      {
        id: 'ajs-1a6064a677b3c16a01b8055c18f16e0b-clean',
        at: '2018-01-05T00:16:35.663Z',
        type: 'page_view',
        title: 'Spec: V2 Ecommerce Events Documentation - Segment',
        url: 'https://segment.com/docs/connections/spec/ecommerce/v2/',
        source: 'segment',
      },
    ]);
  });

  it('finds nobody when the profile is not found', async () => {
    const { fetch } = replayFetch(() => fixture('segment-not-found'));
    expect(await connector(fetch).lookup(phone, signal)).toEqual([]);
  });

  it('reports 429 with its Retry-After', async () => {
    const { fetch } = replayFetch(() => ({
      status: 429,
      response: { error: { code: 'rate_limit_error', message: 'Too many requests' } },
      headers: { 'retry-after': '2' },
    }));
    const failure = await connector(fetch)
      .lookup(phone, signal)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RateLimitedError);
    expect((failure as RateLimitedError).retryAfterMs).toBe(2000);
  });

  it('checks its config keys', () => {
    expect(segmentConnectorType.check(config)).toEqual([]);
    expect(segmentConnectorType.check({ id: 's', type: 'segment' }).map((p) => p.key)).toEqual([
      'spaceId',
      'accessTokenEnv',
    ]);
  });
});
