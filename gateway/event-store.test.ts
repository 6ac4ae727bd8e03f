import { describe, expect, it } from 'vitest';
import { MemoryEventStore } from './event-store';

const DAY = 24 * 60 * 60 * 1000;

describe('MemoryEventStore', () => {
  it('stores an id once and reports repeats as duplicates', async () => {
    const store = new MemoryEventStore();
    expect(await store.put({ id: 'a', note: 'first' })).toEqual({ duplicate: false });
    expect(await store.put({ id: 'a', note: 'second' })).toEqual({ duplicate: true });
    expect(await store.get('a')).toEqual({ id: 'a', note: 'first' });
    expect(await store.list()).toEqual([{ id: 'a', note: 'first' }]);
  });

  it('remembers ids for the retention time, then lets them go', async () => {
    let now = 0;
    const store = new MemoryEventStore({}, () => now);
    await store.put({ id: 'a' });
    now += 7 * DAY - 1;
    expect(await store.put({ id: 'a' })).toEqual({ duplicate: true });
    now += 2;
    expect(await store.get('a')).toBeUndefined();
    expect(await store.put({ id: 'a' })).toEqual({ duplicate: false });
  });

  it('keeps at most maxIds, dropping the oldest', async () => {
    const store = new MemoryEventStore({ maxIds: 2 });
    for (const id of ['a', 'b', 'c']) await store.put({ id });
    expect((await store.list()).map((e) => e.id)).toEqual(['b', 'c']);
  });

  it('drops old bodies past the size budget but still knows their ids', async () => {
    const store = new MemoryEventStore({ maxBodyChars: 250 });
    const note = 'x'.repeat(100);
    await store.put({ id: 'a', note });
    await store.put({ id: 'b', note });
    await store.put({ id: 'c', note });
    expect(await store.get('a')).toBeUndefined();
    expect((await store.list()).map((e) => e.id)).toEqual(['b', 'c']);
    expect(await store.put({ id: 'a', note })).toEqual({ duplicate: true });
  });
});
