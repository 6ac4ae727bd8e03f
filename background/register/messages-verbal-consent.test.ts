import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../shared/config';
import { createCallSessions } from '../call-sessions';
import { createCallState } from '../call-state';
import { type Database, openDatabase } from '../db';
import { messagesWith, OWN_CONTENT_SCRIPT, OWN_PAGE, STRANGER } from '../test-support/messaging';
import { createVerbalConsent } from '../verbal-consent';

const connections: Database[] = [];
afterEach(() => {
  for (const db of connections.splice(0)) db.close();
});

async function setup() {
  const db = await openDatabase(new IDBFactory());
  connections.push(db);
  const store = createCallSessions({ db });
  const sighted = await store.sight(
    { raw: '+44 20 7946 0777', state: 'ringing', detector: 'demo-softphone' },
    3,
    'GB',
  );
  if (!sighted) throw new Error('no call');
  await store.setLookup(
    sighted.session.id,
    {
      status: 'done',
      context: {
        identity: { namespace: 'phone', value: '+442079460777' },
        fetchedAt: new Date().toISOString(),
        errors: [],
        matches: [],
      },
    },
    { verbalConsentRequired: true },
  );
  const audited: unknown[] = [];
  const refreshed: string[] = [];
  // What the sidebars are told, by the call state.
  const told: { type: string; data: unknown }[] = [];
  const verbalConsent = createVerbalConsent({
    calls: createCallState({
      db: Promise.resolve(db),
      broadcast: (session) => void told.push({ type: 'callChanged', data: session }),
      follow: () => {},
    }),
    config: {
      get: async () =>
        resolveConfig({
          agent: { gatewayUrl: 'https://gw.example.com', requireVerbalConsent: true },
        }),
      refreshPolicy: async () => {},
    },
    liveActivity: {
      refresh: async (callId) => {
        refreshed.push(callId);
        return null;
      },
    },
    auditLog: { record: async (entry) => void audited.push(entry) },
    who: async () => 'agent@example.com',
  });
  const messages = messagesWith({ verbalConsent });
  return { ...messages, sent: told, callId: sighted.session.id, store, audited, refreshed };
}

describe('verbal consent messages', () => {
  it("takes the caller's answer from the extension's own pages only", async () => {
    const { deliver, callId } = await setup();
    await expect(
      deliver('recordVerbalConsent', { callId, given: true }, OWN_CONTENT_SCRIPT),
    ).rejects.toThrow('not from our pages');
    await expect(deliver('recordVerbalConsent', { callId, given: true }, STRANGER)).rejects.toThrow(
      'not from our pages',
    );
  });

  it('says in words what is wrong with the input', async () => {
    const { deliver, callId } = await setup();
    expect(
      await deliver(
        'recordVerbalConsent',
        { callId, given: 'yes' as unknown as boolean },
        OWN_PAGE,
      ),
    ).toEqual({ ok: false, error: 'given must be true or false' });
    expect(await deliver('recordVerbalConsent', { callId: 'nope', given: true }, OWN_PAGE)).toEqual(
      {
        ok: false,
        error: 'no such call',
      },
    );
  });

  it('a yes is kept with the call, audited, reads the activity and tells the sidebars', async () => {
    const { deliver, callId, store, audited, refreshed, sent } = await setup();
    expect(await deliver('recordVerbalConsent', { callId, given: true }, OWN_PAGE)).toEqual({
      ok: true,
    });
    expect((await store.get(callId))?.verbalConsent?.state).toBe('given');
    expect(audited).toEqual([
      expect.objectContaining({ reason: 'verbalConsent', answer: 'given' }),
    ]);
    expect(refreshed).toEqual([callId]);
    expect(sent.map((message) => message.type)).toEqual(['callChanged']);
  });
});
