import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallerSighting, CallSession } from '../shared/call';
import { resolveConfig } from '../shared/config';
import type { CallerContext } from '../shared/model';
import type { ProblemCode } from '../shared/problem';
import { createCallSessions } from './call-sessions';
import { createCallState } from './call-state';
import { createCallerService } from './caller-service';
import type { ConfigStore } from './config-store';
import { type Database, openDatabase } from './db';
import type { FetchLike } from './gateway-client';
import { RefusedMessage, type Sender } from './senders';
import { messagesWith } from './test-support/messaging';

const EXTENSION_ID = 'abcdefghijklmnopabcdefghijklmnop';
const EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_ID}/`;
const NOW = new Date('2025-03-01T10:00:00.000Z');

const softphoneTab: Sender = {
  id: EXTENSION_ID,
  url: 'http://127.0.0.1:5173/softphone',
  tab: { id: 3, url: 'http://127.0.0.1:5173/softphone' },
};
const crmTab: Sender = {
  id: EXTENSION_ID,
  url: 'http://127.0.0.1:5173/crm/cases/42',
  tab: { id: 4, url: 'http://127.0.0.1:5173/crm/cases/42' },
};
const sidebarPage: Sender = { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}sidebar.html` };

const ringing = { raw: '+44 20 7946 0123', state: 'ringing', detector: 'demo-softphone' };

const context: CallerContext = {
  identity: { namespace: 'phone', value: '+442079460123' },
  fetchedAt: '2025-03-01T10:00:01.000Z',
  errors: [],
  matches: [
    {
      profile: { id: 'p-1', source: 'demo', displayName: 'Jane Doe', attributes: {} },
      activity: [],
      cases: [],
    },
  ],
};

function configStore(agent: unknown = {}, knowsPolicy = false): ConfigStore {
  return {
    get: async () => resolveConfig({ agent }),
    refreshPolicy: async () => {},
    ...(knowsPolicy ? { knowsPolicy: () => true } : {}),
  };
}

interface FetchCall {
  url: string;
  init: RequestInit | undefined;
}

let factory: IDBFactory;
let connections: Database[];

beforeEach(() => {
  factory = new IDBFactory();
  connections = [];
});

afterEach(() => {
  for (const db of connections) db.close();
});

function setup(
  respond: FetchLike = async () => new Response(JSON.stringify(context)),
  agent: unknown = { gatewayUrl: 'https://gw.example.com', gatewayToken: 'agent-token' },
  recordLookup?: (lookup: { identity: string; callId: string; reason: string }) => Promise<void>,
  /** Whether the config store has read the policy (then a cached caller starts looked up). */
  knowsPolicy = false,
) {
  const broadcasts: (CallSession | null)[] = [];
  const fetches: FetchCall[] = [];
  const db = openDatabase(factory).then((d) => {
    connections.push(d);
    return d;
  });
  const calls = createCallState({
    db,
    broadcast: (session) => broadcasts.push(session),
    follow: () => {},
    now: () => NOW,
  });
  const callerService = createCallerService({
    db,
    calls,
    config: configStore(agent, knowsPolicy),
    fetch: (url, init) => {
      fetches.push({ url, init });
      return respond(url, init);
    },
    now: () => NOW,
    ...(recordLookup ? { recordLookup } : {}),
  });
  // The service as its messages reach it: the sender check and parser first (background/messages.ts).
  const { deliver } = messagesWith({
    self: { extensionId: EXTENSION_ID, extensionOrigin: EXTENSION_ORIGIN },
    callerService,
    calls,
  });
  const service = {
    reportCaller: (data: unknown, sender: Sender) =>
      deliver('reportCaller', data as CallerSighting, sender),
    getCurrentCall: (sender: Sender) => deliver('getCurrentCall', undefined, sender),
    getWaitingCalls: (sender: Sender) => deliver('getWaitingCalls', undefined, sender),
    wrapUpCall: (data: unknown, sender: Sender) =>
      deliver('wrapUpCall', data as { id: string }, sender),
    retryLookup: (data: unknown, sender: Sender) =>
      deliver('retryLookup', data as { callId: string }, sender),
    sidebarPlacement: (sender: Sender) => deliver('sidebarPlacement', {}, sender),
    resume: () => callerService.resume(),
  };
  return { service, callerService, broadcasts, fetches, db };
}

async function lookupResult(broadcasts: (CallSession | null)[]): Promise<CallSession> {
  await vi.waitFor(() => expect(broadcasts.length).toBeGreaterThanOrEqual(2));
  const last = broadcasts.at(-1);
  if (!last) throw new Error('no session broadcast');
  return last;
}

describe('reportCaller', () => {
  it.each<[string, Sender]>([
    ['a sender without a tab', { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}sidebar.html` }],
    ['a tab without an id', { id: EXTENSION_ID, tab: { url: 'http://127.0.0.1/softphone' } }],
    ['another extension', { ...softphoneTab, id: 'another-extension-id' }],
    ['a sender without an id', { url: 'https://evil.example/', tab: { id: 9 } }],
  ])('refuses %s', async (_, sender) => {
    const { service, broadcasts, fetches, db } = setup();
    await expect(service.reportCaller(ringing, sender)).rejects.toBeInstanceOf(RefusedMessage);
    expect(broadcasts).toEqual([]);
    expect(fetches).toEqual([]);
    expect(await (await db).count('calls')).toBe(0);
  });

  it('answers invalid data with an error and keeps nothing', async () => {
    const { service, broadcasts, db } = setup();
    await expect(
      service.reportCaller({ ...ringing, state: 'on-hold' }, softphoneTab),
    ).resolves.toEqual({ accepted: false, error: expect.stringMatching(/state/) });
    await expect(service.reportCaller('+44 20 7946 0123', softphoneTab)).resolves.toEqual({
      accepted: false,
      error: expect.any(String),
    });
    expect(broadcasts).toEqual([]);
    expect(await (await db).count('calls')).toBe(0);
  });

  it('shows the ringing call, then the caller once the gateway answers', async () => {
    const { service, broadcasts, fetches } = setup();
    await expect(service.reportCaller(ringing, softphoneTab)).resolves.toEqual({ accepted: true });
    expect(broadcasts[0]).toMatchObject({
      state: 'ringing',
      rawNumber: '+44 20 7946 0123',
      identity: { namespace: 'phone', value: '+442079460123' },
      tabId: 3,
      lookup: { status: 'pending' },
    });
    const done = await lookupResult(broadcasts);
    expect(broadcasts).toHaveLength(2);
    expect(done).toMatchObject({ id: broadcasts[0]?.id, lookup: { status: 'done', context } });
    expect(fetches).toHaveLength(1);
    expect(fetches[0]?.url).toBe(
      'https://gw.example.com/v1/context?identity=phone%3A%2B442079460123',
    );
    expect(new Headers(fetches[0]?.init?.headers).get('authorization')).toBe('Bearer agent-token');
    expect(await service.getCurrentCall(sidebarPage)).toEqual(done);
  });

  it('reads national numbers in the configured region', async () => {
    const { service, broadcasts } = setup(undefined, { defaultRegion: 'US' });
    await service.reportCaller({ ...ringing, raw: '(415) 555-0100' }, softphoneTab);
    expect(broadcasts[0]?.identity).toEqual({ namespace: 'phone', value: '+14155550100' });
  });

  it('looks a call up once, however many tabs report it', async () => {
    const { service, broadcasts, fetches } = setup();
    await service.reportCaller(ringing, softphoneTab);
    await expect(
      service.reportCaller({ ...ringing, raw: '020 7946 0123', detector: 'rule:1' }, crmTab),
    ).resolves.toEqual({ accepted: true });
    await lookupResult(broadcasts);
    expect(fetches).toHaveLength(1);
    expect(broadcasts).toHaveLength(2);
  });

  it('broadcasts a change of state without looking up again', async () => {
    const { service, broadcasts, fetches } = setup();
    await service.reportCaller(ringing, softphoneTab);
    await lookupResult(broadcasts);
    await expect(
      service.reportCaller({ ...ringing, state: 'connected' }, softphoneTab),
    ).resolves.toEqual({ accepted: true });
    expect(broadcasts).toHaveLength(3);
    expect(broadcasts[2]).toMatchObject({ state: 'connected', lookup: { status: 'done' } });
    expect(fetches).toHaveLength(1);
  });

  it('refuses the end of a call it never saw', async () => {
    const { service, broadcasts } = setup();
    await expect(
      service.reportCaller({ ...ringing, state: 'ended' }, softphoneTab),
    ).resolves.toEqual({ accepted: false, error: 'no such call' });
    expect(broadcasts).toEqual([]);
  });

  it('does not ask the gateway about a number it cannot read', async () => {
    const { service, broadcasts, fetches } = setup();
    await expect(
      service.reportCaller({ ...ringing, raw: 'Withheld' }, softphoneTab),
    ).resolves.toEqual({ accepted: true });
    expect(broadcasts).toHaveLength(1);
    expect(broadcasts[0]).toMatchObject({ identity: null, lookup: { status: 'failed' } });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fetches).toEqual([]);
    expect(broadcasts).toHaveLength(1);
  });

  it.each<[string, FetchLike, RegExp, ProblemCode]>([
    [
      'a refused token (401)',
      async () => new Response(JSON.stringify({ error: { message: 'no' } }), { status: 401 }),
      /refused our sign-in/,
      'gatewayRefused',
    ],
    [
      'a server error with a JSON message',
      async () =>
        new Response(JSON.stringify({ error: { message: 'Segment is down' } }), { status: 500 }),
      /^The gateway answered 500: Segment is down\.$/,
      'gatewayStatusDetail',
    ],
    [
      'a network failure',
      async () => {
        throw new TypeError('fetch failed');
      },
      /^Cannot reach the gateway at https:\/\/gw\.example\.com\.$/,
      'gatewayUnreachable',
    ],
    [
      'a body that is not JSON',
      async () => new Response('<html>sign in</html>'),
      /not JSON/,
      'gatewayNotJson',
    ],
    [
      'a timeout',
      async () => {
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
      /did not answer within \d+ s/,
      'gatewayTimeout',
    ],
  ])('shows %s as a failed lookup with a clear message', async (_, respond, message, code) => {
    const { service, broadcasts } = setup(respond);
    await service.reportCaller(ringing, softphoneTab);
    const failed = await lookupResult(broadcasts);
    // The English text, and its code for the sidebar to word in the agent's language.
    expect(failed.lookup).toEqual({
      status: 'failed',
      message: expect.stringMatching(message),
      problem: expect.objectContaining({ code }),
    });
    expect((await service.getCurrentCall(sidebarPage))?.lookup).toEqual(failed.lookup);
  });
});

describe('getCurrentCall', () => {
  it.each<[string, Sender]>([
    ['a content script', softphoneTab],
    ['another extension page', { id: 'other', url: `chrome-extension://other/sidebar.html` }],
    ['our id with a web URL', { id: EXTENSION_ID, url: 'https://evil.example/' }],
    ['a sender without a URL', { id: EXTENSION_ID }],
  ])('refuses %s', async (_, sender) => {
    const { service } = setup();
    await expect(service.getCurrentCall(sender)).rejects.toBeInstanceOf(RefusedMessage);
  });

  it('answers our own pages', async () => {
    const { service, broadcasts } = setup();
    await expect(service.getCurrentCall(sidebarPage)).resolves.toBeNull();
    await service.reportCaller(ringing, softphoneTab);
    await lookupResult(broadcasts);
    await expect(service.getCurrentCall(sidebarPage)).resolves.toMatchObject({
      rawNumber: '+44 20 7946 0123',
      lookup: { status: 'done' },
    });
    // The sidebar frame mounted in a CRM tab is an extension page inside a tab.
    await expect(
      service.getCurrentCall({ ...sidebarPage, tab: { id: 4, url: crmTab.tab?.url } }),
    ).resolves.toMatchObject({ rawNumber: '+44 20 7946 0123' });
  });
});

describe('sidebarPlacement', () => {
  it('mounts the sidebar in tabs that match crmMatches', async () => {
    const { callerService } = setup(undefined, { crmMatches: ['https://*.crm.example.com/*'] });
    await expect(
      callerService.sidebarPlacement('https://acme.crm.example.com/case/1'),
    ).resolves.toEqual({ mount: true });
    await expect(callerService.sidebarPlacement('https://shop.example.com/')).resolves.toEqual({
      mount: false,
    });
    // The default CRM pattern no longer applies once the agent set their own.
    await expect(callerService.sidebarPlacement(crmTab.tab?.url)).resolves.toEqual({
      mount: false,
    });
  });

  it('uses the default demo CRM patterns', async () => {
    const { callerService } = setup(undefined, {});
    await expect(callerService.sidebarPlacement(crmTab.tab?.url)).resolves.toEqual({ mount: true });
    await expect(callerService.sidebarPlacement(softphoneTab.tab?.url)).resolves.toEqual({
      mount: false,
    });
  });

  it('does not mount in a tab whose URL it cannot see', async () => {
    const { callerService } = setup(undefined, {});
    await expect(callerService.sidebarPlacement(undefined)).resolves.toEqual({ mount: false });
  });

  it('refuses senders that are not our content scripts', async () => {
    const { service } = setup();
    await expect(service.sidebarPlacement(sidebarPage)).rejects.toBeInstanceOf(RefusedMessage);
    await expect(
      service.sidebarPlacement({ ...crmTab, id: 'another-extension-id' }),
    ).rejects.toBeInstanceOf(RefusedMessage);
  });
});

describe('resume', () => {
  it('looks up again a call whose lookup was under way when the worker stopped', async () => {
    // The first worker stops while the gateway has not answered.
    const before = setup(() => new Promise<Response>(() => {}));
    await before.service.reportCaller(ringing, softphoneTab);
    await vi.waitFor(() => expect(before.fetches).toHaveLength(1));
    expect((await before.service.getCurrentCall(sidebarPage))?.lookup).toEqual({
      status: 'pending',
    });

    const after = setup();
    expect(after.fetches).toEqual([]);
    await after.service.resume();
    expect(after.fetches).toHaveLength(1);
    expect(after.broadcasts).toHaveLength(1);
    expect(after.broadcasts[0]).toMatchObject({
      id: before.broadcasts[0]?.id,
      lookup: { status: 'done', context },
    });
    expect((await after.service.getCurrentCall(sidebarPage))?.lookup).toEqual({
      status: 'done',
      context,
    });
  });

  it('does nothing when there is no call or its lookup finished', async () => {
    const empty = setup();
    await empty.service.resume();
    expect(empty.fetches).toEqual([]);
    expect(empty.broadcasts).toEqual([]);

    const before = setup();
    await before.service.reportCaller(ringing, softphoneTab);
    await lookupResult(before.broadcasts);
    const after = setup();
    await after.service.resume();
    expect(after.fetches).toEqual([]);
    expect(after.broadcasts).toEqual([]);
  });
});

/** Waits until every lookup has been recorded, so none writes after the test closed the db. */
async function lookupsSettled(db: Promise<Database>): Promise<void> {
  await vi.waitFor(async () => {
    const calls = await (await db).getAll('calls');
    expect(calls.filter((c) => c.lookup.status === 'pending')).toEqual([]);
  });
}

describe('flooding and second calls', () => {
  it('does not let a page that flashes a thousand numbers make a thousand lookups', async () => {
    const { service, fetches, db } = setup();
    const answers = [];
    for (let i = 0; i < 1000; i++) {
      const raw = `+44 20 7946 ${String(1000 + (i % 9000)).padStart(4, '0')}`;
      answers.push(await service.reportCaller({ ...ringing, raw }, softphoneTab));
    }
    await vi.waitFor(() => expect(fetches.length).toBe(6));
    expect(answers.filter((a) => a.accepted)).toHaveLength(6);
    expect(answers.at(-1)).toEqual({ accepted: false, error: expect.stringMatching(/too many/) });
    expect(await (await db).count('calls')).toBe(6);
    // Another tab is not starved by the noisy one.
    expect((await service.reportCaller(ringing, crmTab)).accepted).toBe(true);
    await lookupsSettled(db);
  });

  it('keeps broadcasting the call the agent is on when a second caller rings', async () => {
    const { service, broadcasts, db } = setup();
    await service.reportCaller(ringing, softphoneTab);
    await service.reportCaller({ ...ringing, state: 'connected' }, softphoneTab);
    await service.reportCaller({ ...ringing, raw: '+34 612 34 56 78' }, softphoneTab);
    await vi.waitFor(() => expect(broadcasts.length).toBeGreaterThanOrEqual(4));
    for (const session of broadcasts.slice(1))
      expect(session?.identity?.value).toBe('+442079460123');
    const waiting = await service.getWaitingCalls(sidebarPage);
    expect(waiting.map((s) => s.identity?.value)).toEqual(['+34612345678']);
    await lookupsSettled(db);
  });

  it('wraps up a call for our own pages only', async () => {
    const { service, broadcasts, db } = setup();
    await service.reportCaller(ringing, softphoneTab);
    await lookupsSettled(db);
    const current = await service.getCurrentCall(sidebarPage);
    await expect(service.wrapUpCall({ id: current?.id }, crmTab)).rejects.toBeInstanceOf(
      RefusedMessage,
    );
    expect(await service.wrapUpCall({ id: 42 }, sidebarPage)).toEqual({ wrappedUp: false });
    expect(await service.wrapUpCall({ id: current?.id }, sidebarPage)).toEqual({ wrappedUp: true });
    expect(broadcasts.at(-1)).toBeNull();
  });

  it('does not mount the sidebar in the page when the agent prefers the side panel', async () => {
    const { callerService } = setup(undefined, { sidebarPlacement: 'sidePanel' });
    expect(await callerService.sidebarPlacement(crmTab.tab?.url)).toEqual({
      mount: false,
      sidePanel: true,
    });
    // Only CRM tabs offer to open the panel.
    expect(await callerService.sidebarPlacement(softphoneTab.tab?.url)).toEqual({
      mount: false,
      sidePanel: false,
    });
  });
});

describe('audit of lookups', () => {
  function setupWithAudit(
    recordLookup: (lookup: { identity: string; callId: string; reason: string }) => Promise<void>,
  ) {
    const { service, broadcasts } = setup(undefined, undefined, recordLookup);
    return { service, broadcasts };
  }

  it('records each lookup with its identity and call, and nothing of the profile', async () => {
    const recorded: unknown[] = [];
    const { service, broadcasts } = setupWithAudit(async (lookup) => {
      recorded.push(lookup);
    });
    await service.reportCaller(ringing, softphoneTab);
    const session = await lookupResult(broadcasts);
    expect(recorded).toEqual([
      { identity: 'phone:+442079460123', callId: session.id, reason: 'call' },
    ]);
  });

  it('shows the caller without waiting for the audit write, which still completes', async () => {
    let finishAudit = () => {};
    const recorded: unknown[] = [];
    const { service, broadcasts } = setupWithAudit(
      (lookup) =>
        new Promise<void>((done) => {
          finishAudit = () => {
            recorded.push(lookup);
            done();
          };
        }),
    );
    await service.reportCaller(ringing, softphoneTab);
    const session = await lookupResult(broadcasts);
    expect(session.lookup.status).toBe('done');
    expect(recorded).toEqual([]);
    finishAudit();
    expect(recorded).toEqual([
      { identity: 'phone:+442079460123', callId: session.id, reason: 'call' },
    ]);
  });

  it('records the lookup even when the lookup fails', async () => {
    const recorded: unknown[] = [];
    const { service, broadcasts } = setup(
      async () => new Response('{"error":{"code":"down","message":"down"}}', { status: 503 }),
      undefined,
      async (lookup) => {
        recorded.push(lookup);
      },
    );
    await service.reportCaller(ringing, softphoneTab);
    const session = await lookupResult(broadcasts);
    expect(session.lookup.status).toBe('failed');
    expect(recorded).toEqual([
      { identity: 'phone:+442079460123', callId: session.id, reason: 'call' },
    ]);
  });

  it('answers a retry only once its audit entry is written', async () => {
    const reasons: string[] = [];
    let release = () => {};
    const { service, broadcasts } = setupWithAudit(async (lookup) => {
      const { reason } = lookup;
      if (reason === 'retry') await new Promise<void>((done) => (release = done));
      reasons.push(reason);
    });
    await service.reportCaller(ringing, softphoneTab);
    const session = await lookupResult(broadcasts);
    let answered = false;
    const retried = service.retryLookup({ callId: session.id }, sidebarPage).then((r) => {
      answered = true;
      return r;
    });
    await vi.waitFor(() => expect(broadcasts.at(-1)?.lookup.status).toBe('done'));
    await vi.waitFor(() => expect(broadcasts.length).toBeGreaterThanOrEqual(4));
    expect(answered).toBe(false);
    release();
    expect(await retried).toEqual({ ok: true });
    expect(reasons).toEqual(['call', 'retry']);
  });

  it('still looks the caller up when the audit list cannot be written', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { service, broadcasts } = setupWithAudit(async () => {
      throw new Error('quota');
    });
    await service.reportCaller(ringing, softphoneTab);
    const session = await lookupResult(broadcasts);
    expect(session.lookup.status).toBe('done');
    errors.mockRestore();
  });
});

describe('retryLookup', () => {
  it('looks the caller up again, showing progress first', async () => {
    let answer: CallerContext = {
      ...context,
      errors: [{ source: 'aep', message: 'timed out' }],
    };
    const { service, broadcasts, fetches } = setup(
      async () => new Response(JSON.stringify(answer)),
    );
    await service.reportCaller(ringing, softphoneTab);
    const first = await lookupResult(broadcasts);
    expect(first.lookup.status === 'done' && first.lookup.context.errors).toHaveLength(1);

    answer = context;
    const seen = broadcasts.length;
    expect(await service.retryLookup({ callId: first.id }, sidebarPage)).toEqual({ ok: true });
    expect(fetches).toHaveLength(2);
    expect(broadcasts[seen]?.lookup.status).toBe('pending');
    const retried = broadcasts.at(-1);
    expect(retried?.lookup.status === 'done' && retried.lookup.context.errors).toEqual([]);
  });

  it('refuses content scripts and unknown calls', async () => {
    const { service } = setup();
    await expect(service.retryLookup({ callId: 'x' }, crmTab)).rejects.toBeInstanceOf(
      RefusedMessage,
    );
    expect(await service.retryLookup({ callId: 'nope' }, sidebarPage)).toEqual({
      ok: false,
      error: 'no such call',
    });
    expect(await service.retryLookup({}, sidebarPage)).toMatchObject({ ok: false });
  });
});

describe('an anonymous caller with requireVerbalConsent', () => {
  const anonymous: CallerContext = { ...context, matches: [] };
  const respond = async () => new Response(JSON.stringify(anonymous));
  const gateway = { gatewayUrl: 'https://gw.example.com' };

  it('is looked up by number only, then awaits the caller’s permission', async () => {
    const { service, broadcasts, fetches } = setup(respond, {
      ...gateway,
      requireVerbalConsent: true,
    });
    await service.reportCaller(ringing, softphoneTab);
    const looked = await lookupResult(broadcasts);
    expect(looked.verbalConsent).toEqual({ state: 'required' });
    expect(fetches.map((f) => new URL(f.url).pathname)).toEqual(['/v1/context']);
  });

  it('needs no permission when the config does not ask for it (the default)', async () => {
    const { service, broadcasts } = setup(respond, gateway);
    await service.reportCaller(ringing, softphoneTab);
    expect((await lookupResult(broadcasts)).verbalConsent).toBeUndefined();
  });

  it('needs no permission when a profile matches', async () => {
    const { service, broadcasts } = setup(undefined, { ...gateway, requireVerbalConsent: true });
    await service.reportCaller(ringing, softphoneTab);
    expect((await lookupResult(broadcasts)).verbalConsent).toBeUndefined();
  });

  it('keeps an answer the agent recorded when the number is looked up again', async () => {
    const { service, broadcasts, db } = setup(respond, { ...gateway, requireVerbalConsent: true });
    await service.reportCaller(ringing, softphoneTab);
    const looked = await lookupResult(broadcasts);
    const store = createCallSessions({ db: await db, now: () => NOW });
    await store.recordVerbalConsent(looked.id, false);
    expect(await service.retryLookup({ callId: looked.id }, sidebarPage)).toEqual({ ok: true });
    expect((await store.get(looked.id))?.verbalConsent?.state).toBe('declined');
  });
});

describe('a ring from a caller in the cache', () => {
  const gateway = { gatewayUrl: 'https://gw.example.com' };
  const ended = { ...ringing, state: 'ended' };

  function cachedSetup(agent: unknown = gateway, respond?: FetchLike) {
    const audited: { identity: string; callId: string; reason: string }[] = [];
    const record = async (entry: { identity: string; callId: string; reason: string }) => {
      audited.push(entry);
    };
    return { ...setup(respond, agent, record, true), audited };
  }

  async function cache(db: Promise<Database>, cached: CallerContext, expiresAt: number) {
    await (await db).put('contextCache', {
      key: 'phone:+442079460123',
      context: cached,
      storedAt: NOW.getTime() - 1000,
      expiresAt,
    });
  }

  it('starts looked up: one write, one broadcast, no request, the audit entry after', async () => {
    const { service, broadcasts, fetches, audited } = cachedSetup();
    await service.reportCaller(ringing, softphoneTab);
    const first = await lookupResult(broadcasts);
    await service.reportCaller(ended, softphoneTab);
    const seen = broadcasts.length;

    await expect(service.reportCaller(ringing, softphoneTab)).resolves.toEqual({ accepted: true });
    expect(broadcasts.slice(seen)).toEqual([
      expect.objectContaining({ state: 'ringing', lookup: { status: 'done', context } }),
    ]);
    const second = broadcasts.at(-1);
    expect(second?.id).not.toBe(first.id);
    expect(fetches).toHaveLength(1);
    await vi.waitFor(() => expect(audited).toHaveLength(2));
    expect(audited[1]).toEqual({
      identity: 'phone:+442079460123',
      callId: second?.id,
      reason: 'call',
    });
    expect(await service.getCurrentCall(sidebarPage)).toEqual(second);
  });

  it('asks the gateway as before once the cached context expired, and purges it', async () => {
    const { service, broadcasts, fetches, db } = cachedSetup();
    await cache(db, { ...context, matches: [] }, NOW.getTime() - 1);
    await service.reportCaller(ringing, softphoneTab);
    expect(broadcasts[0]?.lookup).toEqual({ status: 'pending' });
    expect((await lookupResult(broadcasts)).lookup).toEqual({ status: 'done', context });
    expect(fetches).toHaveLength(1);
  });

  it('awaits the caller’s permission when the cached context has no match and the config asks', async () => {
    const { service, broadcasts, db } = cachedSetup({ ...gateway, requireVerbalConsent: true });
    const anonymous = { ...context, matches: [] };
    await cache(db, anonymous, NOW.getTime() + 60_000);
    await service.reportCaller(ringing, softphoneTab);
    expect(broadcasts).toEqual([
      expect.objectContaining({
        lookup: { status: 'done', context: anonymous },
        verbalConsent: { state: 'required' },
      }),
    ]);
  });

  it('is looked up as before while the policy was never read', async () => {
    const { service, broadcasts, fetches, db } = setup(undefined, gateway);
    await cache(db, context, NOW.getTime() + 60_000);
    await service.reportCaller(ringing, softphoneTab);
    expect(broadcasts[0]?.lookup).toEqual({ status: 'pending' });
    expect((await lookupResult(broadcasts)).lookup).toEqual({ status: 'done', context });
    // The lookup itself still answers from the cache.
    expect(fetches).toEqual([]);
  });

  it('is written pending and looked up when the cache cannot be read, with the reason logged', async () => {
    const { service, broadcasts, db } = cachedSetup();
    await cache(db, context, NOW.getTime() + 60_000);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const get = IDBObjectStore.prototype.get;
    let failures = 0;
    const spy = vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (
      this: IDBObjectStore,
      key: IDBValidKey | IDBKeyRange,
    ) {
      if (this.name === 'contextCache' && failures++ === 0) throw new Error('disk error');
      return get.call(this, key);
    });
    try {
      await service.reportCaller(ringing, softphoneTab);
      expect(broadcasts[0]?.lookup).toEqual({ status: 'pending' });
      expect((await lookupResult(broadcasts)).lookup).toEqual({ status: 'done', context });
      expect(await (await db).count('calls')).toBe(1);
      expect(errors).toHaveBeenCalledWith(
        'Caller Context: could not read the cache',
        expect.objectContaining({ message: 'disk error' }),
      );
    } finally {
      spy.mockRestore();
      errors.mockRestore();
    }
  });
});
