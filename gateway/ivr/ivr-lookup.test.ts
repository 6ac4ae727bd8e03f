import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Identity, Match } from '../../shared/model';
import { MemoryLiveBuffer } from '../live-buffer';
import { silentLogger } from '../request-log';
import { createDemoSource, DEFAULT_SEED_FILE } from '../sources/demo';
import { readSeedFile } from '../sources/demo-seed';
import type { Source } from '../sources/source';
import { DEFAULT_IVR } from './ivr-config';
import { createIvrGateway } from './ivr-gateway';
import { aniIdentity } from './ivr-lookup';
import { MemoryIvrStore } from './ivr-store';
import { DEFAULT_ROUTING } from './routing';

const JANE: Identity = { namespace: 'phone', value: '+442079460123' };
const MARCO = { email: 'marco.rossi@laboutique.example', name: 'Marco Rossi', id: 'emp-17' };

function demoSource(edit: (seed: ReturnType<typeof readSeedFile>) => void = () => {}): Source {
  const customers = readSeedFile(DEFAULT_SEED_FILE);
  edit(customers);
  return createDemoSource({
    id: 'demo',
    customers,
    live: new MemoryLiveBuffer(),
    createdAt: new Date(),
  });
}

/** A source that answers after `ms` with what `inner` knows, counting the calls it gets. */
function slow(inner: Source, ms: number, id = 'slow') {
  const calls: Identity[] = [];
  const source: Source = {
    id,
    async lookup(identity, signal) {
      calls.push(identity);
      await new Promise((resolve) => setTimeout(resolve, ms));
      const matches = await inner.lookup(identity, signal);
      return matches.map((m): Match => ({ ...m, profile: { ...m.profile, source: id } }));
    },
    activity: (identity, since, signal) => inner.activity(identity, since, signal),
  };
  return { source, calls };
}

function gateway(sources: Source[], store = new MemoryIvrStore()) {
  return createIvrGateway({
    config: {
      ivrTokens: ['ivr-key'],
      agents: [],
      ivr: { ...DEFAULT_IVR },
      routing: { ...DEFAULT_ROUTING },
      sourceTimeoutMs: 3000,
    },
    store,
    sources,
    logger: silentLogger,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('IVR lookup', () => {
  it('names the caller, their latest case and their manager, and reads the intent', async () => {
    const ivr = gateway([demoSource()]);
    const answer = await ivr.lookup(JANE, 0);
    expect(answer).toMatchObject({
      known: true,
      matches: 1,
      firstName: 'Jane',
      displayName: 'Jane Doe',
      language: 'en-GB',
      latestCase: {
        number: 'CAS-1042',
        title: 'Espresso Pro arrived with a cracked drip tray',
        status: 'Open',
      },
      ownManager: { ...MARCO, available: false, state: 'offline' },
      route: { to: 'queue', queue: 'general', reason: 'own_manager_unavailable' },
      intent: { kind: 'read_returns', times: 2 },
      partial: false,
    });
  });

  it('routes to the manager once they report available, and to the new one chosen at wrap-up', async () => {
    const ivr = gateway([demoSource()]);
    await ivr.reportPresence(MARCO, 'available');
    expect((await ivr.lookup(JANE, 0)).route).toEqual({
      to: 'agent',
      agent: MARCO,
      reason: 'own_manager',
    });
    const priya = { email: 'priya.natarajan@laboutique.example', name: 'Priya Natarajan' };
    await ivr.managers.record({ profile: { source: 'demo', id: 'cust-1001' } }, priya);
    const answer = await ivr.lookup(JANE, 0);
    expect(answer.ownManager).toMatchObject({ name: 'Priya Natarajan', state: 'offline' });
    expect(answer.route.reason).toBe('own_manager_unavailable');
    await ivr.reportPresence(priya, 'available');
    expect((await ivr.lookup(JANE, 0)).route).toEqual({
      to: 'agent',
      agent: priya,
      reason: 'own_manager',
    });
  });

  it('gives no web-activity intent for a customer who denied personalisation', async () => {
    const ivr = gateway([
      demoSource((customers) => {
        const jane = customers.find((c) => c.profile.id === 'cust-1001');
        if (jane) jane.profile.consent = { personalisation: 'denied' };
      }),
    ]);
    const answer = await ivr.lookup(JANE, 0);
    expect(answer.known).toBe(true);
    expect(answer).not.toHaveProperty('intent');
  });

  it('greets no one by name on a number two customers share', async () => {
    const ivr = gateway([demoSource()]);
    const answer = await ivr.lookup({ namespace: 'phone', value: '+442079460456' }, 0);
    expect(answer).toMatchObject({
      known: true,
      matches: 2,
      firstName: null,
      displayName: null,
      ownManager: null,
      route: { to: 'queue', queue: 'general', reason: 'no_own_manager' },
    });
  });

  it('sends an unknown number to the default queue', async () => {
    const ivr = gateway([demoSource()]);
    const answer = await ivr.lookup({ namespace: 'phone', value: '+447700900999' }, 0);
    expect(answer).toMatchObject({
      known: false,
      matches: 0,
      firstName: null,
      latestCase: null,
      ownManager: null,
      route: { to: 'queue', queue: 'general', reason: 'unknown_caller' },
      partial: false,
    });
  });

  it('answers at the end of its budget with what the fast sources gave, and keeps the rest for the agent', async () => {
    vi.useFakeTimers();
    const { source: tooSlow, calls } = slow(demoSource(), 2500, 'crm');
    const ivr = gateway([demoSource(), tooSlow]);
    let answered = false;
    const pending = ivr.lookup(JANE, 0).then((answer) => {
      answered = true;
      return answer;
    });
    // It waits for the slow source while the budget allows (a part is kept for the store)...
    await vi.advanceTimersByTimeAsync(DEFAULT_IVR.timeoutMs / 2);
    expect(answered).toBe(false);
    // ...and answers within the budget without it.
    await vi.advanceTimersByTimeAsync(DEFAULT_IVR.timeoutMs / 2);
    expect(answered).toBe(true);
    const answer = await pending;
    expect(answer).toMatchObject({ known: true, firstName: 'Jane', partial: true });
    // The slow source goes on; once it answers, the complete context waits for the agent.
    await vi.advanceTimersByTimeAsync(1000);
    const kept = await ivr.warmContext(JANE);
    expect(kept?.errors).toEqual([]);
    expect(kept?.matches.map((m) => m.profile.source)).toEqual(['demo', 'crm']);
    expect(calls).toHaveLength(1);
  });

  it('asks the sources once when the IVR asks again with waitedSeconds', async () => {
    const { source, calls } = slow(demoSource(), 1);
    const ivr = gateway([source]);
    await ivr.lookup(JANE, 0);
    await ivr.lookup(JANE, 30);
    expect(calls).toHaveLength(1);
  });

  it('answers even when the store fails, as if it knew nothing', async () => {
    const store = new MemoryIvrStore();
    const broken = Object.assign(store, {
      get: () => Promise.reject(new Error('store down')),
      getMany: () => Promise.reject(new Error('store down')),
      set: () => Promise.reject(new Error('store down')),
    });
    const ivr = gateway([demoSource()], broken);
    const answer = await ivr.lookup(JANE, 0);
    expect(answer).toMatchObject({
      known: true,
      ownManager: { name: 'Marco Rossi', state: 'offline' },
      route: { reason: 'own_manager_unavailable' },
    });
  });
});

describe('ani', () => {
  it('takes E.164, a + lost to query-string decoding, and national numbers in the default region', () => {
    expect(aniIdentity('+442079460123')).toEqual(JANE);
    expect(aniIdentity(' 442079460123')).toEqual(JANE);
    expect(aniIdentity('020 7946 0123', 'GB')).toEqual(JANE);
  });

  it('refuses what is not a phone number, and national numbers without a default region', () => {
    expect(() => aniIdentity('hello')).toThrow(/not a phone number/);
    expect(() => aniIdentity('020 7946 0123')).toThrow(/no default region/);
    expect(() => aniIdentity(undefined)).toThrow(/ani is required/);
  });
});
