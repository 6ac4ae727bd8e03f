import { describe, expect, it } from 'vitest';
import type { ActivityEvent, Identity } from '../shared/model';
import { MemoryLiveBuffer } from './live-buffer';

const jane: Identity = { namespace: 'email', value: 'jane.doe@example.com' };
const janePhone: Identity = { namespace: 'phone', value: '+442079460123' };
const tom: Identity = { namespace: 'email', value: 'tom.baker@example.com' };
const NOW = Date.parse('2026-11-21T12:00:00Z');

function event(id: string, minutesAgo: number): ActivityEvent {
  const at = new Date(NOW - minutesAgo * 60_000).toISOString();
  return { id, at, type: 'page_view', source: 'web' };
}

describe('MemoryLiveBuffer', () => {
  it('returns the events of several identities newest first, newer than since', async () => {
    const live = new MemoryLiveBuffer({}, () => NOW);
    await live.append(jane, [event('a', 10), event('b', 2)]);
    await live.append(janePhone, [event('c', 5)]);
    await live.append(tom, [event('t', 1)]);
    const ids = async (since?: Date) =>
      (await live.since([jane, janePhone], since)).map((e) => e.id);
    expect(await ids()).toEqual(['b', 'c', 'a']);
    expect(await ids(new Date(NOW - 6 * 60_000))).toEqual(['b', 'c']);
  });

  it('ignores an event id the identity already has', async () => {
    const live = new MemoryLiveBuffer({}, () => NOW);
    await live.append(jane, [event('a', 3)]);
    await live.append(jane, [event('a', 3), event('a', 3)]);
    expect(await live.since([jane])).toHaveLength(1);
  });

  it('keeps the newest events per identity and drops old ones', async () => {
    let now = NOW;
    const live = new MemoryLiveBuffer(
      { maxEventsPerIdentity: 2, maxAgeMs: 60 * 60_000 },
      () => now,
    );
    await live.append(jane, [event('old', 30), event('mid', 20), event('new', 10)]);
    expect((await live.since([jane])).map((e) => e.id)).toEqual(['new', 'mid']);
    now += 45 * 60_000;
    expect((await live.since([jane])).map((e) => e.id)).toEqual(['new']);
  });

  it('forgets the identity appended to longest ago when there are too many', async () => {
    const live = new MemoryLiveBuffer({ maxIdentities: 2 }, () => NOW);
    await live.append(jane, [event('j', 1)]);
    await live.append(tom, [event('t', 1)]);
    await live.append(jane, [event('j2', 1)]);
    await live.append(janePhone, [event('p', 1)]);
    expect(await live.since([tom])).toEqual([]);
    expect(await live.since([jane])).toHaveLength(2);
  });

  it('delivers new events to subscribers of any of their identities until unsubscribed', async () => {
    const live = new MemoryLiveBuffer({}, () => NOW);
    const seen: string[] = [];
    const unsubscribe = live.subscribe([jane, janePhone], (e) => seen.push(e.id));
    await live.append(janePhone, [event('p1', 1)]);
    await live.append(jane, [event('e1', 1), event('p1', 1)]);
    await live.append(tom, [event('t1', 1)]);
    expect(seen).toEqual(['p1', 'e1', 'p1']);
    expect(live.subscribedIdentityCount).toBe(2);
    unsubscribe();
    await live.append(jane, [event('e2', 1)]);
    expect(seen).toHaveLength(3);
    expect(live.subscribedIdentityCount).toBe(0);
  });

  it('keeps delivering when one subscriber throws', async () => {
    const live = new MemoryLiveBuffer({}, () => NOW);
    const seen: string[] = [];
    live.subscribe([jane], () => {
      throw new Error('closed');
    });
    live.subscribe([jane], (e) => seen.push(e.id));
    await live.append(jane, [event('a', 1)]);
    expect(seen).toEqual(['a']);
  });
});
