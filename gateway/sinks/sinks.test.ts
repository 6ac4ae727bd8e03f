import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../../shared/after-call';
import { fixture as connectorFixture } from '../../test-support/replay';
import { startVendorReplay, type VendorReplay } from '../../test-support/replay-server';
import { SchemaSet, toFullNotation } from '../test-support/json-schema-check';
import {
  exampleShapeProblems,
  LOGGED_CALL,
  SINK_FIXTURES,
  sinkFixture,
} from '../test-support/sink-examples';
import { aepSinkType, toXdmExperienceEvent, XDM_EVENT_TYPE } from './aep';
import { dynamicsSinkType } from './dynamics';
import { sinkTypes } from './registry';
import { salesforceSinkType } from './salesforce';
import { segmentSinkType } from './segment';
import type { SinkConfig } from './sink';
import { unomiSinkType } from './unomi';

const event: AfterCallEvent = {
  ...LOGGED_CALL,
  profile: { id: 'b1a9a0f4-3c1e-4d2a-9f1b-0a0b0c0d0e0f', source: 'dynamics', name: 'Jane Doe' },
  followUpOn: '2025-03-08',
};

/** Every key of the documented example is in ours, with the same JSON type, recursively. */
const shapeProblems = (documented: unknown, ours: unknown) =>
  exampleShapeProblems(documented, ours, {
    // Free-form objects (properties) need not repeat the example's own keys.
    freeForm: ['properties', 'context'],
    skip: (key) => key === '_source' || key.startsWith('identityMap'),
  });

describe('sink registry', () => {
  it('lists one file per sink type, and every type has a documented example fixture', () => {
    const files = readdirSync(import.meta.dirname)
      .filter(
        (f) =>
          f.endsWith('.ts') && !f.includes('.test.') && !['sink.ts', 'registry.ts'].includes(f),
      )
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(Object.keys(sinkTypes).sort()).toEqual(files);
    const examples = readdirSync(SINK_FIXTURES).filter((f) => f.endsWith('.request.json'));
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
    schemas.add(sinkFixture(`xdm/${name}.schema.json`));
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

  it('carries the agent who logged the call, still valid by the schemas', () => {
    const agent = { id: 'oidc:7f3a', name: 'Marco Rossi', email: 'marco.rossi@example.com' };
    const xdm = toXdmExperienceEvent({ ...event, agent }, 'acme');
    expect((xdm._acme as { callCenter: { agent?: unknown } }).callCenter.agent).toEqual(agent);
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
      shapeProblems(sinkFixture('aep-streaming.request.json'), {
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
    expect(shapeProblems(sinkFixture('segment-track.request.json'), request.body)).toEqual([]);
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
    expect(shapeProblems(sinkFixture('unomi-eventcollector.request.json'), request.body)).toEqual(
      [],
    );
    expect(request.body).toMatchObject({ events: [{ itemId: event.id, scope: 'callcenter' }] });
  });
  it('names the tenant by its public API key for Unomi 3.1+', async () => {
    const config: SinkConfig = {
      id: 'unomi',
      type: 'unomi',
      baseUrl: 'https://unomi.example.com',
      scope: 'callcenter',
      apiKeyEnv: 'UNOMI_PUBLIC_KEY',
    };
    const key = await unomiSinkType
      .signIn?.(config, {
        fetch: () => Promise.reject(new Error('no network')),
        env: { UNOMI_PUBLIC_KEY: 'unomi_v1_pk' },
        now: () => new Date(),
      })
      .get(new AbortController().signal);
    const request = unomiSinkType.request(event, config, key);
    expect(request.headers['x-unomi-api-key']).toBe('unomi_v1_pk');
    expect(request.headers).not.toHaveProperty('x-unomi-peer');
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
  const CASE = '1c3b5f7a-2d4e-e611-80d2-00155db07c77';
  it('creates an incoming phone call regarding the contact, the contact as caller, our id as activityid', () => {
    const request = dynamicsSinkType.request(event, config, 'token');
    expect(request.url).toBe('https://org.crm.dynamics.com/api/data/v9.2/phonecalls');
    expect(request.method ?? 'POST').toBe('POST');
    expect(request.headers.authorization).toBe('Bearer token');
    expect(shapeProblems(sinkFixture('dynamics-phonecall.request.json'), request.body)).toEqual([]);
    expect(request.body).toMatchObject({
      activityid: event.id,
      actualdurationminutes: 4,
      directioncode: false,
      category: 'Resolved',
      subcategory: 'resolved',
      'regardingobjectid_contact_phonecall@odata.bind': `/contacts(${event.profile?.id})`,
      phonecall_activity_parties: [
        {
          'partyid_contact@odata.bind': `/contacts(${event.profile?.id})`,
          participationtypemask: 1,
        },
      ],
    });
  });
  it('binds only navigation properties the phonecall reference documents', () => {
    const documented = Object.keys(sinkFixture('dynamics-phonecall.request.json')).filter((k) =>
      k.endsWith('@odata.bind'),
    );
    const bound = (body: unknown) =>
      Object.keys(body as object).filter((k) => k.endsWith('@odata.bind'));
    const onCase = dynamicsSinkType.request({ ...event, caseId: CASE }, config).body;
    for (const key of [...bound(onCase), ...bound(dynamicsSinkType.request(event, config).body)])
      expect([...documented, 'regardingobjectid_incident_phonecall@odata.bind']).toContain(key);
  });
  it('is regarding the case when the agent picked one, still with the contact as caller', () => {
    const onCase = dynamicsSinkType.request({ ...event, caseId: CASE }, config).body;
    expect(onCase).toMatchObject({
      'regardingobjectid_incident_phonecall@odata.bind': `/incidents(${CASE})`,
      phonecall_activity_parties: [{ participationtypemask: 1 }],
    });
    expect(onCase).not.toHaveProperty('regardingobjectid_contact_phonecall@odata.bind');
  });
  it('links nothing for a profile or case of another source', () => {
    const other = dynamicsSinkType.request(
      { ...event, profile: { id: 'x', source: 'demo' }, caseId: CASE },
      config,
    ).body as Record<string, unknown>;
    expect(Object.keys(other).some((k) => k.startsWith('regardingobjectid'))).toBe(false);
    expect(other).not.toHaveProperty('phonecall_activity_parties');
  });
  it('counts a repeated create of the same activityid as already stored', () => {
    expect(dynamicsSinkType.alreadyStored?.(412, '')).toBe(true);
    expect(dynamicsSinkType.alreadyStored?.(400, '{"error":{"code":"0x80040237"}}')).toBe(true);
    expect(dynamicsSinkType.alreadyStored?.(400, '{"error":{"code":"0x80040203"}}')).toBe(false);
  });
});

describe('Salesforce sink', () => {
  const documented = sinkFixture('salesforce-task.request.json') as {
    _fields: string[];
    _picklists: Record<string, string[]>;
    _responses: Record<string, { status: number; response: unknown }>;
  };
  const contactEvent: AfterCallEvent = {
    ...event,
    profile: { id: '003D000000QOcfaIAD', source: 'sf', name: 'Jane Doe' },
    caseId: '500D000000IcM2bIAF',
  };
  const config: SinkConfig = {
    id: 'sf-tasks',
    type: 'salesforce',
    baseUrl: 'https://acme.my.salesforce.com',
    clientId: 'c',
    clientSecretEnv: 'SF_CLIENT_SECRET',
    contactSource: 'sf',
  };

  it('creates a completed inbound call Task: duration, result, notes, contact and case', () => {
    const request = salesforceSinkType.request(contactEvent, config, 'token');
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://acme.my.salesforce.com/services/data/v62.0/sobjects/Task/');
    expect(request.headers.authorization).toBe('Bearer token');
    expect(request.body).toEqual({
      Subject: 'Call with Jane Doe: Resolved',
      TaskSubtype: 'Call',
      CallType: 'Inbound',
      CallDurationInSeconds: 240,
      CallDisposition: 'Resolved',
      CallObject: event.id,
      Description: 'Replacement drip tray sent.\n\nFollow-up: 2025-03-08',
      Status: 'Completed',
      Priority: 'Normal',
      ActivityDate: '2025-03-01',
      WhoId: '003D000000QOcfaIAD',
      WhatId: '500D000000IcM2bIAF',
    });
  });

  it('sends only createable Task fields the object reference documents, with valid picklist values', () => {
    const body = salesforceSinkType.request(contactEvent, config).body as Record<string, unknown>;
    for (const key of Object.keys(body)) expect(documented._fields).toContain(key);
    for (const [field, values] of Object.entries(documented._picklists))
      expect(values).toContain(body[field]);
    const { _source, _fields, _picklists, _responses, ...example } = sinkFixture(
      'salesforce-task.request.json',
    );
    expect(shapeProblems(example, body)).toEqual([]);
  });

  it('upserts by the admin’s external-id field, so a retry cannot make a second Task', () => {
    const request = salesforceSinkType.request(contactEvent, {
      ...config,
      externalIdField: 'CallerContextEventId__c',
    });
    expect(request.method).toBe('PATCH');
    expect(request.url).toBe(
      `https://acme.my.salesforce.com/services/data/v62.0/sobjects/Task/CallerContextEventId__c/${event.id}`,
    );
    expect(
      salesforceSinkType.alreadyStored?.(
        400,
        '[{"message":"Unable to create/update fields: TaskSubtype.","errorCode":"INVALID_FIELD_FOR_INSERT_UPDATE","fields":["TaskSubtype"]}]',
      ),
    ).toBe(true);
    expect(
      salesforceSinkType.alreadyStored?.(400, '[{"errorCode":"REQUIRED_FIELD_MISSING"}]'),
    ).toBe(false);
  });

  it('links a person account as What, and nothing of another source', () => {
    const account = salesforceSinkType.request(
      { ...contactEvent, profile: { id: '001D000000IqhSLIAZ', source: 'sf' }, caseId: undefined },
      config,
    ).body;
    expect(account).toMatchObject({ WhatId: '001D000000IqhSLIAZ' });
    expect(account).not.toHaveProperty('WhoId');
    const other = salesforceSinkType.request({ ...event, caseId: 'c-1' }, config).body;
    expect(other).not.toHaveProperty('WhoId');
    expect(other).not.toHaveProperty('WhatId');
  });

  it('checks its keys', () => {
    expect(salesforceSinkType.check(config)).toEqual([]);
    expect(
      salesforceSinkType
        .check({ id: 's', type: 'salesforce', externalIdField: 'x; drop' })
        .map((p) => p.key),
    ).toEqual(['baseUrl', 'clientId', 'clientSecretEnv', 'externalIdField']);
  });

  describe('delivered to a replay of Salesforce at the documented endpoints only', () => {
    let server: VendorReplay;
    afterEach(async () => server?.close());

    /** What the gateway does with a sink request: sign in, then send it as described. */
    async function deliver(sink: SinkConfig) {
      const tokens = salesforceSinkType.signIn?.(sink, {
        fetch: (input, init) => fetch(input, init),
        env: { SF_CLIENT_SECRET: 'sf-secret' },
        now: () => new Date(),
      });
      const bearer = await tokens?.get(new AbortController().signal);
      const request = salesforceSinkType.request(contactEvent, sink, bearer);
      return fetch(request.url, {
        method: request.method ?? 'POST',
        headers: request.headers,
        body: JSON.stringify(request.body),
      });
    }

    it('signs in at the org’s token endpoint and creates the Task (201)', async () => {
      server = await startVendorReplay([
        {
          method: 'POST',
          path: '/services/oauth2/token',
          reply: connectorFixture('salesforce-oauth-token'),
        },
        {
          method: 'POST',
          path: '/services/data/v62.0/sobjects/Task/',
          reply: documented._responses.create as { status: number; response: unknown },
        },
      ]);
      const response = await deliver({ ...config, baseUrl: server.url });
      expect(response.status).toBe(201);
      expect(server.undocumented).toEqual([]);
      const [token, create] = server.requests;
      expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
        grant_type: 'client_credentials',
        client_id: 'c',
        client_secret: 'sf-secret',
      });
      expect(create?.headers.get('authorization')).toMatch(/^Bearer 00DS7000000oxzo!/);
      expect(JSON.parse(create?.body ?? '')).toMatchObject({
        TaskSubtype: 'Call',
        WhoId: '003D000000QOcfaIAD',
      });
    });

    it('upserts at the documented external-id path (201 created)', async () => {
      server = await startVendorReplay([
        {
          method: 'POST',
          path: '/services/oauth2/token',
          reply: connectorFixture('salesforce-oauth-token'),
        },
        {
          method: 'PATCH',
          path: `/services/data/v62.0/sobjects/Task/CallerContextEventId__c/${event.id}`,
          reply: documented._responses.upsert as { status: number; response: unknown },
        },
      ]);
      const response = await deliver({
        ...config,
        baseUrl: server.url,
        externalIdField: 'CallerContextEventId__c',
      });
      expect(response.status).toBe(201);
      expect(server.undocumented).toEqual([]);
    });
  });
});
