import { describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../../shared/after-call';
import { SchemaSet } from '../test-support/json-schema-check';
import { exampleShapeProblems, LOGGED_CALL, sinkFixture } from '../test-support/sink-examples';
import { aepSinkType, toXdmExperienceEvent } from './aep';
import { dynamicsSinkType } from './dynamics';
import { salesforceSinkType } from './salesforce';
import { segmentSinkType } from './segment';
import { unomiSinkType } from './unomi';

/** "Make me their manager": which update each sink makes (README, "IVR"). */

const base: AfterCallEvent = LOGGED_CALL;
const MARCO = { email: 'marco.rossi@laboutique.example', name: 'Marco Rossi', id: 'emp-17' };
const chosen: AfterCallEvent = { ...base, makeMeManager: true, newManager: MARCO };

/** Every key of the documented example is in ours, with the same JSON type (free-form maps aside). */
const shapeProblems = (documented: unknown, ours: unknown) =>
  exampleShapeProblems(documented, ours, {
    freeForm: ['properties', 'traits', 'update', 'batch'],
    skip: (key) => key === '_source',
  });

describe('Segment', () => {
  const config = { id: 'segment', type: 'segment', writeKeyEnv: 'SEGMENT_WRITE_KEY' };

  it('sends the track and an identify with the manager as traits, in one documented batch', () => {
    const request = segmentSinkType.request(chosen, config, 'key');
    expect(request.url).toBe('https://api.segment.io/v1/batch');
    const body = request.body as { batch: Record<string, unknown>[] };
    const documented = sinkFixture('segment-batch.request.json') as { batch: unknown[] };
    const [track, identify] = body.batch;
    expect(shapeProblems(documented.batch[1], track)).toEqual([]);
    expect(shapeProblems(documented.batch[0], identify)).toEqual([]);
    expect(track).toMatchObject({ type: 'track', messageId: base.id, userId: 'cust-1001' });
    expect(identify).toEqual({
      type: 'identify',
      userId: 'cust-1001',
      messageId: `${base.id}-manager`,
      timestamp: base.loggedAt,
      traits: {
        managerEmail: 'marco.rossi@laboutique.example',
        managerName: 'Marco Rossi',
        managerId: 'emp-17',
      },
    });
  });

  it('keeps the single track call when no manager was chosen', () => {
    const request = segmentSinkType.request(base, config, 'key');
    expect(request.url).toBe('https://api.segment.io/v1/track');
    expect(request.body).not.toHaveProperty('batch');
  });
});

describe('Unomi', () => {
  const config = {
    id: 'unomi',
    type: 'unomi',
    baseUrl: 'https://unomi.example.com',
    scope: 'shop',
  };

  it("adds the documented updateProperties event on the customer's profile", () => {
    const body = unomiSinkType.request(chosen, config).body as {
      events: Record<string, unknown>[];
    };
    expect(body.events).toHaveLength(2);
    const update = body.events[1];
    expect(shapeProblems(sinkFixture('unomi-update-properties.event.json'), update)).toEqual([]);
    expect(update).toMatchObject({
      eventType: 'updateProperties',
      properties: {
        targetId: 'cust-1001',
        targetType: 'profile',
        update: {
          'properties.managerEmail': 'marco.rossi@laboutique.example',
          'properties.managerName': 'Marco Rossi',
          'properties.managerId': 'emp-17',
        },
      },
    });
    expect(unomiSinkType.request(base, config).body).toMatchObject({ events: [{}] });
    expect((unomiSinkType.request(base, config).body as { events: unknown[] }).events).toHaveLength(
      1,
    );
  });
});

describe('Adobe Experience Platform', () => {
  it('carries the manager on the experience event, valid by our field group', () => {
    const xdm = toXdmExperienceEvent(chosen, 'acme');
    const tenant = (event: AfterCallEvent) =>
      toXdmExperienceEvent(event, 'acme')._acme as { callCenter: Record<string, unknown> };
    expect(tenant(chosen).callCenter).toMatchObject({ newManager: MARCO });
    const schemas = new SchemaSet().add(sinkFixture('xdm/call-details.schema.json'));
    const id = 'https://ns.adobe.com/tenant/mixins/caller-context-call-center';
    expect(schemas.validate(id, xdm._acme)).toEqual([]);
    expect(tenant(base).callCenter).not.toHaveProperty('newManager');
    const request = aepSinkType.request(chosen, {
      id: 'aep',
      type: 'aep',
      inletId: 'inlet',
      flowId: 'flow',
      tenant: 'acme',
      schemaId: 'https://ns.adobe.com/acme/schemas/call',
    });
    expect(JSON.stringify(request.body)).toContain('marco.rossi@laboutique.example');
  });
});

describe('CRM activity sinks', () => {
  it('Dynamics 365 says on the phone call who the manager is from now on', () => {
    const config = {
      id: 'dynamics',
      type: 'dynamics',
      baseUrl: 'https://contoso.crm4.dynamics.com',
      clientId: 'app',
      clientSecretEnv: 'D365_SECRET',
    };
    const body = dynamicsSinkType.request(chosen, config, 'token').body as {
      description: string;
    };
    expect(body.description).toBe(
      "Replacement drip tray sent.\n\nThe customer's own manager from now on: Marco Rossi <marco.rossi@laboutique.example> (chosen at wrap-up).",
    );
    const plain = dynamicsSinkType.request(base, config, 'token').body as { description: string };
    expect(plain.description).toBe('Replacement drip tray sent.');
  });

  it('Salesforce says it in the Task description', () => {
    const config = {
      id: 'sf',
      type: 'salesforce',
      baseUrl: 'https://acme.my.salesforce.com',
      clientId: 'app',
      clientSecretEnv: 'SF_SECRET',
    };
    const body = salesforceSinkType.request(chosen, config, 'token').body as {
      Description: string;
    };
    expect(body.Description).toContain(
      "The customer's own manager from now on: Marco Rossi <marco.rossi@laboutique.example>",
    );
  });
});
