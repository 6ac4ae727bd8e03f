import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../after-call';
import { aepSinkType, toXdmExperienceEvent, XDM_EVENT_TYPE } from './aep';
import { dynamicsSinkType } from './dynamics';
import { SchemaSet, toFullNotation } from './json-schema-check';
import { sinkTypes } from './registry';
import { segmentSinkType } from './segment';
import type { SinkConfig } from './sink';
import { unomiSinkType } from './unomi';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

const event: AfterCallEvent = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  type: 'call.logged',
  callId: 'call-1',
  identity: { namespace: 'phone', value: '+442079460123' },
  rawNumber: '+44 20 7946 0123',
  profile: { id: 'b1a9a0f4-3c1e-4d2a-9f1b-0a0b0c0d0e0f', source: 'dynamics', name: 'Jane Doe' },
  disposition: { code: 'resolved', label: 'Resolved' },
  notes: 'Replacement drip tray sent.',
  followUpOn: '2025-03-08',
  ringingAt: '2025-03-01T10:00:00.000Z',
  connectedAt: '2025-03-01T10:00:05.000Z',
  endedAt: '2025-03-01T10:04:05.000Z',
  talkSeconds: 240,
  loggedAt: '2025-03-01T10:05:00.000Z',
};

/** Every key of the documented example is in ours, with the same JSON type, recursively. */
function shapeProblems(documented: unknown, ours: unknown, at = ''): string[] {
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(documented) !== kind(ours))
    return [`${at || '/'}: ${kind(ours)}, documented ${kind(documented)}`];
  if (Array.isArray(documented))
    return documented[0] === undefined
      ? []
      : shapeProblems(documented[0], (ours as unknown[])[0], `${at}/0`);
  if (kind(documented) !== 'object') return [];
  return Object.entries(documented as Record<string, unknown>).flatMap(([key, value]) => {
    if (key === '_source' || key.startsWith('identityMap')) return [];
    const mine = (ours as Record<string, unknown>)[key];
    if (mine === undefined) return [`${at}/${key}: missing`];
    // Free-form objects (properties) need not repeat the example's own keys.
    if (key === 'properties' || key === 'context') return [];
    return shapeProblems(value, mine, `${at}/${key}`);
  });
}

describe('sink registry', () => {
  it('lists one file per sink type, and every type has a documented example fixture', () => {
    const files = readdirSync(import.meta.dirname)
      .filter(
        (f) =>
          f.endsWith('.ts') &&
          !f.includes('.test.') &&
          !['sink.ts', 'registry.ts', 'json-schema-check.ts'].includes(f),
      )
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(sinkTypes).sort()).toEqual(files);
    const examples = readdirSync(FIXTURES).filter((f) => f.endsWith('.request.json'));
    for (const type of files) expect(examples.some((f) => f.startsWith(type))).toBe(true);
  });
});

describe('Adobe Experience Platform sink', () => {
  const config: SinkConfig = {
    id: 'aep-stream',
    type: 'aep',
    inletId: 'inlet-123',
    flowId: 'flow-456',
    tenant: 'acme',
    schemaId: 'https://ns.adobe.com/acme/schemas/call',
    orgId: 'ORG@AdobeOrg',
  };
  const schemas = new SchemaSet();
  for (const name of [
    'experienceevent',
    'time-series',
    'identitymap',
    'identityitem',
    'extensible',
    'call-details',
  ])
    schemas.add(fixture(`xdm/${name}.schema.json`));
  const EXPERIENCE_EVENT = 'https://ns.adobe.com/xdm/context/experienceevent';

  it('is a valid XDM ExperienceEvent by Adobe’s published schema', () => {
    const xdm = toXdmExperienceEvent(event, 'acme');
    expect(xdm).toMatchObject({
      _id: event.id,
      timestamp: event.endedAt,
      eventType: XDM_EVENT_TYPE,
      identityMap: { Phone: [{ id: '+442079460123', primary: true }] },
    });
    expect(schemas.validate(EXPERIENCE_EVENT, toFullNotation(xdm, 'acme'))).toEqual([]);
    expect(
      schemas.validate('https://ns.adobe.com/tenant/mixins/caller-context-call-center', xdm._acme),
    ).toEqual([]);
  });

  it('the check catches what Adobe’s schema forbids', () => {
    const xdm = toFullNotation(toXdmExperienceEvent(event, 'acme'), 'acme') as Record<
      string,
      unknown
    >;
    const { 'xdm:timestamp': _, ...noTimestamp } = xdm;
    expect(schemas.validate(EXPERIENCE_EVENT, noTimestamp)).toContain('/: needs "xdm:timestamp"');
    expect(schemas.validate(EXPERIENCE_EVENT, { ...xdm, 'xdm:timestamp': 'yesterday' })).toContain(
      '/xdm:timestamp: must be a date-time',
    );
    expect(schemas.validate(EXPERIENCE_EVENT, { ...xdm, callId: 'x' }).length).toBeGreaterThan(0);
    const badItem = {
      'xdm:identityMap': { Phone: [{ 'xdm:id': '1', 'xdm:authenticatedState': 'maybe' }] },
    };
    expect(schemas.validate(EXPERIENCE_EVENT, { ...xdm, ...badItem })).toContain(
      '/xdm:identityMap/Phone/0/xdm:authenticatedState: must be one of ambiguous, authenticated, loggedOut',
    );
  });

  it('posts to the inlet with the flow id header, in the documented envelope', () => {
    const request = aepSinkType.request(event, config);
    expect(request.url).toBe('https://dcs.adobedc.net/collection/inlet-123');
    expect(request.headers['x-adobe-flow-id']).toBe('flow-456');
    expect(
      shapeProblems(fixture('aep-streaming.request.json'), {
        ...(request.body as object),
        header: { ...(request.body as { header: object }).header, datasetId: 'd' },
      }),
    ).toEqual([]);
  });
});

describe('Segment sink', () => {
  const config: SinkConfig = { id: 'segment', type: 'segment', writeKeyEnv: 'SEGMENT_WRITE_KEY' };
  it('sends a documented track call with the event id as messageId and the write key as basic auth', () => {
    const request = segmentSinkType.request(event, config, 'wk');
    expect(request.url).toBe('https://api.segment.io/v1/track');
    expect(request.headers.authorization).toBe(`Basic ${btoa('wk:')}`);
    expect(shapeProblems(fixture('segment-track.request.json'), request.body)).toEqual([]);
    expect(request.body).toMatchObject({
      messageId: event.id,
      userId: event.profile?.id,
      event: 'Call Logged',
    });
  });
  it('falls back to an anonymous id when the caller matched no record', () => {
    const body = segmentSinkType.request({ ...event, profile: null }, config, 'wk').body;
    expect(body).toMatchObject({ anonymousId: 'phone:+442079460123' });
    expect(body).not.toHaveProperty('userId');
  });
});

describe('Unomi sink', () => {
  it('sends a documented event collector request whose event carries our id', () => {
    const config: SinkConfig = {
      id: 'unomi',
      type: 'unomi',
      baseUrl: 'https://unomi.example.com/',
      scope: 'callcenter',
    };
    const request = unomiSinkType.request(event, config, 'peer');
    expect(request.url).toBe('https://unomi.example.com/cxs/eventcollector');
    expect(request.headers['x-unomi-peer']).toBe('peer');
    expect(shapeProblems(fixture('unomi-eventcollector.request.json'), request.body)).toEqual([]);
    expect(request.body).toMatchObject({ events: [{ itemId: event.id, scope: 'callcenter' }] });
  });
});

describe('Dynamics 365 sink', () => {
  const config: SinkConfig = {
    id: 'd365',
    type: 'dynamics',
    baseUrl: 'https://org.crm.dynamics.com',
    clientId: 'app',
    clientSecretEnv: 'D365_SECRET',
  };
  it('creates a phone call activity regarding the contact, with our id as activityid', () => {
    const request = dynamicsSinkType.request(event, config, 'token');
    expect(request.url).toBe('https://org.crm.dynamics.com/api/data/v9.2/phonecalls');
    expect(request.headers.authorization).toBe('Bearer token');
    expect(shapeProblems(fixture('dynamics-phonecall.request.json'), request.body)).toEqual([]);
    expect(request.body).toMatchObject({
      activityid: event.id,
      actualdurationminutes: 4,
      directioncode: false,
    });
  });
  it('is regarding the case when the agent picked one, and about nothing for other sources', () => {
    const onCase = dynamicsSinkType.request({ ...event, caseId: 'c-1' }, config).body;
    expect(onCase).toMatchObject({ 'regardingobjectid_incident@odata.bind': '/incidents(c-1)' });
    expect(onCase).not.toHaveProperty('regardingobjectid_contact@odata.bind');
    const other = dynamicsSinkType.request(
      { ...event, profile: { id: 'x', source: 'demo' } },
      config,
    ).body;
    expect(Object.keys(other as object).some((k) => k.startsWith('regardingobjectid'))).toBe(false);
  });
  it('counts a repeated create of the same activityid as already stored', () => {
    expect(dynamicsSinkType.alreadyStored?.(412, '')).toBe(true);
    expect(dynamicsSinkType.alreadyStored?.(400, '{"error":{"code":"0x80040237"}}')).toBe(true);
    expect(dynamicsSinkType.alreadyStored?.(400, '{"error":{"code":"0x80040203"}}')).toBe(false);
  });
});
