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

  it('forgets the identity appended to longest ago when all of them pass the byte budget', async () => {
    const size = JSON.stringify(event('j', 1)).length;
    const live = new MemoryLiveBuffer({ maxBytes: size * 4 }, () => NOW);
    await live.append(jane, [event('j', 1)]);
    await live.append(tom, [event('t', 1)]);
    await live.append(jane, [event('j2', 1)]);
    await live.append(janePhone, [event('p', 1)]);
    expect(await live.since([tom])).toEqual([]);
    expect(await live.since([jane])).toHaveLength(2);
  });

  it('keeps at most maxBytesPerIdentity of one identity, dropping its oldest', async () => {
    const size = JSON.stringify(event('a', 3)).length;
    const live = new MemoryLiveBuffer({ maxBytesPerIdentity: size * 2 }, () => NOW);
    await live.append(jane, [event('a', 3), event('b', 2), event('c', 1)]);
    expect((await live.since([jane])).map((e) => e.id)).toEqual(['c', 'b']);
  });

  it('follows new events of any of their identities, with ids in order, until unsubscribed', async () => {
    const live = new MemoryLiveBuffer({}, () => NOW);
    const seen: string[] = [];
    const bufferIds: number[] = [];
    const follow = await live.follow([jane, janePhone], {}, ({ event: e, bufferId }) => {
      seen.push(e.id);
      bufferIds.push(Number(bufferId));
    });
    await live.append(janePhone, [event('p1', 1)]);
    await live.append(jane, [event('e1', 1), event('p1', 1)]);
    await live.append(tom, [event('t1', 1)]);
    // p1 under jane's email is another copy of the web event (the phone's has its own stream).
    expect(seen).toEqual(['p1', 'e1', 'p1']);
    expect(bufferIds).toEqual([...bufferIds].sort((a, b) => a - b));
    await follow.unsubscribe();
    await live.append(jane, [event('e2', 1)]);
    expect(seen).toHaveLength(3);
  });

  it('replays what was appended after a buffer id, then goes on live', async () => {
    const live = new MemoryLiveBuffer({}, () => NOW);
    const [first] = await live.append(jane, [event('a', 3)]);
    await live.append(janePhone, [event('b', 2)]);
    const seen: string[] = [];
    const follow = await live.follow([jane, janePhone], { after: first?.bufferId }, (e) =>
      seen.push(e.event.id),
    );
    await live.append(jane, [event('c', 1)]);
    expect(seen).toEqual(['b', 'c']);
    expect(await live.head()).toBe(String(Number(first?.bufferId) + 2));
    await follow.unsubscribe();
  });

  it('keeps delivering when one follower throws', async () => {
    const live = new MemoryLiveBuffer({}, () => NOW);
    const seen: string[] = [];
    await live.follow([jane], {}, () => {
      throw new Error('closed');
    });
    await live.follow([jane], {}, (e) => seen.push(e.event.id));
    await live.append(jane, [event('a', 1)]);
    expect(seen).toEqual(['a']);
  });
});
