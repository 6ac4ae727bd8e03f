import { afterEach, describe, expect, it } from 'vitest';
import { loggedCallReadBack } from '../../test-support/logged-call-fixture';
import { fixture, replayFetch } from '../../test-support/replay';
import {
  type ReplayedRequest,
  startVendorReplay,
  type VendorReplay,
} from '../../test-support/replay-server';
import type { ConnectorConfig } from './connector';
import { RateLimitedError } from './http';
import { createSegmentConnector, segmentConnectorType } from './segment';

const now = new Date('2026-11-21T12:00:00Z');
const signal = new AbortController().signal;
const phone = { namespace: 'phone', value: '+442079460123' };
/** The documented profile path; `+` must travel as %2B (the docs' "Find a user's external id"). */
const PROFILE = '/v1/spaces/lgJ4AAjFN4/collections/users/profiles/phone:%2B442079460123';

function config(baseUrl: string): ConnectorConfig {
  return {
    id: 'segment',
    type: 'segment',
    baseUrl,
    spaceId: 'lgJ4AAjFN4',
    accessTokenEnv: 'SEGMENT_ACCESS_TOKEN',
  };
}

const include = (r: ReplayedRequest) => r.url.searchParams.get('include');

/** The Profile API's documented routes for one profile, with their documented answers. */
function profileApi(): Promise<VendorReplay> {
  return startVendorReplay([
    { method: 'GET', path: `${PROFILE}/traits`, reply: fixture('segment-traits') },
    {
      method: 'GET',
      path: `${PROFILE}/events`,
      when: (r) => include(r) === 'Call Logged',
      reply: fixture('segment-events-call-logged'),
    },
    {
      method: 'GET',
      path: `${PROFILE}/events`,
      when: (r) => include(r) === null,
      reply: (r) =>
        r.url.searchParams.has('next')
          ? { status: 200, response: { data: [], cursor: { has_more: false, next: '' } } }
          : fixture('segment-events'),
    },
  ]);
}

function connector(baseUrl: string, fetchImpl = (i: string, init?: RequestInit) => fetch(i, init)) {
  return createSegmentConnector(config(baseUrl), {
    fetch: fetchImpl,
    secret: (name) => (name === 'accessToken' ? 'tok' : undefined),
    now: () => now,
  });
}

describe('Segment connector, replayed at the documented endpoints only', () => {
  let server: VendorReplay;
  afterEach(async () => server?.close());

  it('asks for traits and 14 days of events by the escaped external id, with basic auth', async () => {
    server = await profileApi();
    await connector(server.url).lookup(phone, signal);
    expect(server.undocumented).toEqual([]);
    const [traits] = server.requests;
    expect(traits?.url.searchParams.get('limit')).toBe('200');
    expect(traits?.headers.get('authorization')).toBe(`Basic ${btoa('tok:')}`);
    const events = server.requests.find((r) => r.url.searchParams.get('exclude'));
    expect(events?.url.searchParams.get('start')).toBe('2026-11-07T12:00:00.000Z');
    expect(events?.url.searchParams.get('exclude')).toBe('Call Logged');
  });

  it('maps the documented traits and events, following the cursor', async () => {
    server = await profileApi();
    const [match] = await connector(server.url).lookup(phone, signal);
    const pages = server.requests.filter((r) => r.url.searchParams.get('exclude'));
    expect(pages[1]?.url.searchParams.get('next')).toBe(
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

  it('reads "Call Logged" track events as the contact history, by the documented include', async () => {
    server = await profileApi();
    const [match] = await connector(server.url).lookup(phone, signal);
    expect(match?.contacts).toEqual([loggedCallReadBack('segment')]);
  });

  it('escapes + and @ of an email external id in the path', async () => {
    server = await startVendorReplay([]);
    await connector(server.url).lookup({ namespace: 'email', value: 'a+b@example.com' }, signal);
    expect(server.requests[0]?.url.pathname).toContain(
      '/profiles/email:a%2Bb%40example.com/traits',
    );
  });

  it('finds nobody when the profile is not found', async () => {
    server = await startVendorReplay([
      { method: 'GET', path: `${PROFILE}/traits`, reply: fixture('segment-not-found') },
    ]);
    expect(await connector(server.url).lookup(phone, signal)).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('Segment connector', () => {
  it('reports 429 with its Retry-After', async () => {
    const { fetch } = replayFetch(() => ({
      status: 429,
      response: { error: { code: 'rate_limit_error', message: 'Too many requests' } },
      headers: { 'retry-after': '2' },
    }));
    const failure = await connector('https://profiles.segment.com', fetch)
      .lookup(phone, signal)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RateLimitedError);
    expect((failure as RateLimitedError).retryAfterMs).toBe(2000);
  });

  it('checks its config keys', () => {
    expect(segmentConnectorType.check(config('https://profiles.segment.com'))).toEqual([]);
    expect(segmentConnectorType.check({ id: 's', type: 'segment' }).map((p) => p.key)).toEqual([
      'spaceId',
      'accessTokenEnv',
    ]);
  });
});
