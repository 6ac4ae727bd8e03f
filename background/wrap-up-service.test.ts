import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AfterCallEvent, WrapUpDraft } from '../shared/after-call';
import type { CallSession } from '../shared/call';
import { resolveConfig } from '../shared/config';
import { createCallState } from './call-state';
import { type Database, openDatabase } from './db';
import { createOutbox } from './outbox';
import { RefusedMessage, type Sender } from './senders';
import { messagesWith } from './test-support/messaging';
import { createWrapUpService } from './wrap-up-service';

const ORIGIN = 'chrome-extension://ext-id/';
const OWN_PAGE: Sender = { id: 'ext-id', url: `${ORIGIN}sidebar.html` };
const CONTENT_SCRIPT: Sender = { id: 'ext-id', url: 'https://crm.example.com/', tab: { id: 3 } };

const call: CallSession = {
  id: 'call-1',
  rawNumber: '+44 20 7946 0123',
  identity: { namespace: 'phone', value: '+442079460123' },
  state: 'ended',
  detector: 'demo-softphone',
  ringingAt: '2025-03-01T10:00:00.000Z',
  endedAt: '2025-03-01T10:02:00.000Z',
  updatedAt: '2025-03-01T10:02:00.000Z',
  lookup: { status: 'pending' },
};

const event: AfterCallEvent = {
  id: '3b241101-e2bb-4255-8caf-4136c566a962',
  type: 'call.logged',
  callId: 'call-1',
  identity: call.identity,
  rawNumber: call.rawNumber,
  profile: null,
  disposition: { code: 'resolved', label: 'Resolved' },
  notes: '',
  ringingAt: call.ringingAt,
  endedAt: call.endedAt as string,
  talkSeconds: 0,
  loggedAt: '2025-03-01T10:03:00.000Z',
};

const draft: WrapUpDraft = {
  callId: 'call-1',
  disposition: 'resolved',
  notes: 'half',
  followUpOn: '',
  caseId: '',
  updatedAt: '2025-03-01T10:02:30.000Z',
};

let db: Database;
let broadcasts: (CallSession | null)[];

function service() {
  const database = Promise.resolve(db);
  const config = { get: async () => resolveConfig({}), refreshPolicy: async () => {} };
  const outbox = createOutbox({
    db: database,
    gateway: async () => ({ gatewayUrl: 'http://127.0.0.1:9' }),
    fetch: async () => new Response('', { status: 202 }),
    wake: () => {},
  });
  const calls = createCallState({
    db: database,
    broadcast: (session) => broadcasts.push(session),
    follow: () => {},
  });
  const wrapUp = createWrapUpService({ db: database, config, outbox, calls });
  // The service as its messages reach it: the sender check and parser first (background/messages.ts).
  const { deliver } = messagesWith({
    self: { extensionId: 'ext-id', extensionOrigin: ORIGIN },
    wrapUp,
  });
  return {
    getWrapUp: (data: { callId: string }, sender: Sender) => deliver('getWrapUp', data, sender),
    saveWrapUpDraft: (data: WrapUpDraft, sender: Sender) =>
      deliver('saveWrapUpDraft', data, sender),
    logCall: (data: AfterCallEvent, sender: Sender) => deliver('logCall', data, sender),
    getOutboxStatus: (sender: Sender) => deliver('getOutboxStatus', undefined, sender),
  };
}

beforeEach(async () => {
  db = await openDatabase(new IDBFactory());
  await db.put('calls', call);
  broadcasts = [];
});
afterEach(async () => {
  // Let a delivery that "Log call" started finish before the database goes away.
  await new Promise((resolve) => setTimeout(resolve, 50));
  db.close();
});

describe('wrap-up service', () => {
  it('answers only our own pages', async () => {
    const wrapUp = service();
    await expect(wrapUp.logCall(event, CONTENT_SCRIPT)).rejects.toBeInstanceOf(RefusedMessage);
    await expect(wrapUp.saveWrapUpDraft(draft, CONTENT_SCRIPT)).rejects.toBeInstanceOf(
      RefusedMessage,
    );
    await expect(
      wrapUp.getOutboxStatus({ id: 'other-ext', url: `${ORIGIN}x` }),
    ).rejects.toBeInstanceOf(RefusedMessage);
    expect(await db.count('outbox')).toBe(0);
  });

  it('refuses a malformed event with the reason and stores nothing', async () => {
    const answer = await service().logCall({ ...event, id: 'not-a-uuid' }, OWN_PAGE);
    expect(answer).toEqual({ saved: false, error: 'id must be a UUID' });
    expect(await db.count('outbox')).toBe(0);
  });

  it('keeps a draft, and once the call is logged, wraps it up and drops the draft', async () => {
    const wrapUp = service();
    expect(await wrapUp.saveWrapUpDraft(draft, OWN_PAGE)).toEqual({ saved: true });
    expect((await wrapUp.getWrapUp({ callId: 'call-1' }, OWN_PAGE)).draft).toEqual(draft);
    expect(await wrapUp.logCall(event, OWN_PAGE)).toEqual({ saved: true, duplicate: false });
    expect((await db.get('calls', 'call-1'))?.state).toBe('wrapped_up');
    expect(await db.get('wrapUpDrafts', 'call-1')).toBeUndefined();
    expect(broadcasts).toEqual([null]);
    // A late autosave does not bring the finished wrap-up back.
    await wrapUp.saveWrapUpDraft(draft, OWN_PAGE);
    expect(await db.get('wrapUpDrafts', 'call-1')).toBeUndefined();
    expect(await wrapUp.logCall(event, OWN_PAGE)).toEqual({ saved: true, duplicate: true });
  });

  it('offers the configured dispositions', async () => {
    const { dispositions } = await service().getWrapUp({ callId: 'call-1' }, OWN_PAGE);
    expect(dispositions.map((d) => d.code)).toContain('resolved');
  });
});
