import { describe, expect, it } from 'vitest';
import { DELIVERY_QUEUE, EventLedger } from './event-store';
import { MemoryStore } from './store/memory-store';

const marco = { id: 'agent:marco.rossi@example.com', name: 'Marco Rossi' };
const anna = { id: 'oidc:anna' };

describe('EventLedger', () => {
  it('takes an id once per principal and reports repeats as duplicates', async () => {
    const store = new MemoryStore();
    const ledger = new EventLedger(store);
    expect(await ledger.put({ id: 'a', note: 'first' }, marco, [])).toEqual({ duplicate: false });
    expect(await ledger.put({ id: 'a', note: 'second' }, marco, [])).toEqual({ duplicate: true });
    expect((await ledger.get(marco.id, 'a'))?.event).toEqual({ id: 'a', note: 'first' });
    expect((await ledger.get(marco.id, 'a'))?.agent).toEqual(marco);
    expect(await ledger.list()).toEqual([{ id: 'a', note: 'first' }]);
  });

  it("scopes ids by principal, so one agent's id cannot swallow another's event", async () => {
    const ledger = new EventLedger(new MemoryStore());
    await ledger.put({ id: 'same' }, marco, []);
    expect(await ledger.put({ id: 'same' }, anna, [])).toEqual({ duplicate: false });
  });

  it('queues one delivery job per sink with the event, in the same step, only the first time', async () => {
    const store = new MemoryStore();
    const ledger = new EventLedger(store);
    await ledger.put({ id: 'e1' }, marco, ['aep', 'segment']);
    await ledger.put({ id: 'e1' }, marco, ['aep', 'segment']);
    const jobs = await store.queue(DELIVERY_QUEUE).claim({ max: 10, leaseMs: 1000 });
    expect(jobs.map((job) => JSON.parse(job.payload))).toEqual([
      { ledger: `ledger:${marco.id}:e1`, sink: 'aep', event: { id: 'e1' } },
      { ledger: `ledger:${marco.id}:e1`, sink: 'segment', event: { id: 'e1' } },
    ]);
  });

  it('forgets ids after the retention time', async () => {
    let now = 0;
    const ledger = new EventLedger(new MemoryStore({ now: () => now }), 1000);
    await ledger.put({ id: 'old' }, marco, []);
    now = 1500;
    expect(await ledger.put({ id: 'old' }, marco, [])).toEqual({ duplicate: false });
  });
});
