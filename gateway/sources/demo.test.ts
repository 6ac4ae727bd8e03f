import { describe, expect, it } from 'vitest';
import type { Identity } from '../../shared/model';
import { MemoryLiveBuffer } from '../live-buffer';
import { createDemoSource, DEFAULT_SEED_FILE, demoSourceType } from './demo';
import { parseSeed, readSeedFile } from './demo-seed';
import { SourceSetupError } from './source';

const createdAt = new Date('2026-11-21T12:00:00Z');
const signal = new AbortController().signal;

function demo(live = new MemoryLiveBuffer({}, () => createdAt.getTime())) {
  return createDemoSource({
    id: 'crm-demo',
    customers: readSeedFile(DEFAULT_SEED_FILE),
    live,
    createdAt,
  });
}

const phone = (value: string): Identity => ({ namespace: 'phone', value });

describe('demo source', () => {
  it('finds profiles by phone, email and demo id, tagged with the source id', async () => {
    const source = demo();
    for (const identity of [
      phone('+442079460123'),
      { namespace: 'email', value: 'jane.doe@example.com' },
      { namespace: 'demo', value: 'cust-1001' },
    ]) {
      const matches = await source.lookup(identity, signal);
      expect(matches.map((m) => [m.profile.id, m.profile.source])).toEqual([
        ['cust-1001', 'crm-demo'],
      ]);
    }
    expect(await source.lookup(phone('+442079460456'), signal)).toHaveLength(2);
    expect(await source.lookup(phone('+442079460000'), signal)).toEqual([]);
    expect(await source.lookup({ namespace: 'ecid', value: 'x' }, signal)).toEqual([]);
  });

  it('dates seeded activity back from its creation, with stable ids', async () => {
    const [jane] = await demo().lookup(phone('+442079460123'), signal);
    expect(jane?.activity.map((e) => [e.id, e.at])).toEqual([
      ['crm-demo-cust-1001-0', '2026-11-21T11:51:00.000Z'],
      ['crm-demo-cust-1001-1', '2026-11-21T11:49:00.000Z'],
      ['crm-demo-cust-1001-2', '2026-11-21T11:46:00.000Z'],
    ]);
    const [again] = await demo().lookup(phone('+442079460123'), signal);
    expect(again?.activity.map((e) => e.id)).toEqual(jane?.activity.map((e) => e.id));
  });

  it("gives Jane Doe's earlier contacts with the contact centre, newest first, dated back", async () => {
    const [jane] = await demo().lookup(phone('+442079460123'), signal);
    expect(jane?.contacts?.map((c) => [c.id, c.channel, c.at, c.disposition])).toEqual([
      ['crm-demo-cust-1001-contact-0', 'email', '2026-11-19T11:50:00.000Z', undefined],
      ['crm-demo-cust-1001-contact-1', 'call', '2026-11-18T11:00:00.000Z', 'Follow-up needed'],
      ['crm-demo-cust-1001-contact-2', 'chat', '2026-06-03T16:00:00.000Z', 'Resolved'],
    ]);
    expect(jane?.contacts?.[1]).toMatchObject({ source: 'crm-demo', durationSeconds: 420 });
    const [tom] = await demo().lookup(phone('+442079460456'), signal);
    expect(tom?.contacts).toBeUndefined();
  });

  it('refuses a seeded contact without a known channel', () => {
    expect(() =>
      parseSeed({
        customers: [{ profile: { id: 'x' }, contacts: [{ minutesAgo: 1, channel: 'fax' }] }],
      }),
    ).toThrow('customers[0].contacts[0]: expected { minutesAgo: number, channel:');
  });

  it("merges live events of any of the profile's identities, newest first, at most 50", async () => {
    const live = new MemoryLiveBuffer({}, () => createdAt.getTime());
    const source = demo(live);
    const at = (minutesAgo: number) =>
      new Date(createdAt.getTime() - minutesAgo * 60_000).toISOString();
    await live.append({ namespace: 'email', value: 'jane.doe@example.com' }, [
      { id: 'w1', at: at(1), type: 'cart_add', source: 'web' },
    ]);
    await live.append(phone('+442079460123'), [
      { id: 'w2', at: at(10), type: 'search', source: 'web' },
    ]);
    const [jane] = await source.lookup(phone('+442079460123'), signal);
    expect(jane?.activity.map((e) => e.id).slice(0, 3)).toEqual([
      'w1',
      'crm-demo-cust-1001-0',
      'w2',
    ]);

    const since = new Date(createdAt.getTime() - 10 * 60_000);
    const newer = await source.activity({ namespace: 'demo', value: 'cust-1001' }, since, signal);
    expect(newer.map((e) => e.id)).toEqual(['w1', 'crm-demo-cust-1001-0']);

    await live.append(
      phone('+442079460123'),
      Array.from({ length: 60 }, (_, i) => ({
        id: `n${i}`,
        at: at(0),
        type: 'page_view',
        source: 'web',
      })),
    );
    const [busy] = await source.lookup(phone('+442079460123'), signal);
    expect(busy?.activity).toHaveLength(50);
  });

  it("keeps the seed's consent and sorts cases newest first", async () => {
    const [luis] = await demo().lookup(phone('+34612345678'), signal);
    expect(luis?.profile.consent).toEqual({ personalisation: 'denied', marketingEmail: 'denied' });
    const [jane] = await demo().lookup(phone('+442079460123'), signal);
    expect(jane?.cases.map((c) => c.number)).toEqual(['CAS-1042', 'CAS-0877']);
  });

  it('stops when asked to', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(demo().lookup(phone('+442079460123'), controller.signal)).rejects.toThrow('gone');
  });
});

describe('demo seed and config', () => {
  it('explains a broken seed', () => {
    expect(() => parseSeed({ customers: [{ profile: {} }] })).toThrow('customers[0].profile.id');
    expect(() =>
      parseSeed({ customers: [{ profile: { id: 'x', consent: { email: 'yes' } } }] }),
    ).toThrow('customers[0].profile.consent.email');
    expect(() => readSeedFile('/nonexistent/seed.json')).toThrow(SourceSetupError);
  });

  it('reads seedFile relative to the config folder', () => {
    const context = { live: new MemoryLiveBuffer(), baseDir: '/nonexistent', now: () => createdAt };
    expect(() =>
      demoSourceType.create({ id: 'demo', type: 'demo', seedFile: 'seed.json' }, context),
    ).toThrow('cannot read the demo seed file /nonexistent/seed.json (ENOENT)');
    expect(demoSourceType.check({ id: 'demo', type: 'demo', seedFile: '' })).toHaveLength(1);
    expect(demoSourceType.check({ id: 'demo', type: 'demo' })).toEqual([]);
  });
});
