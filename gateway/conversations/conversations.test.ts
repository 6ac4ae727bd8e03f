import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import { RedisStore } from '../store/redis-store';
import type { Store } from '../store/store';
import { type PrivateRedis, startPrivateRedis } from '../test-support/redis-server';
import { DEFAULT_CONVERSATIONS } from './conversation-config';
import {
  ConversationError,
  type ConversationMember,
  Conversations,
  PARTICIPANT_STALE_MS,
} from './conversations';

/**
 * The conversation record on both stores: the memory store (sharing the test's clock) and a real
 * redis-server started for this file, where expiry is Redis's own.
 */
let redis: PrivateRedis;
let prefixCount = 0;

beforeAll(async () => {
  redis = await startPrivateRedis();
}, 30_000);

afterAll(async () => {
  await redis?.stop();
});

const MIN = 60_000;
const DAY = 24 * 3600_000;
const JANE = 'phone:+442079460123';

const alex: ConversationMember = { key: 'alex@example.com', name: 'Alex Agent', supervisor: false };
const marco: ConversationMember = {
  key: 'marco@example.com',
  name: 'Marco Rossi',
  supervisor: false,
};
const sam: ConversationMember = {
  key: 'sam@example.com',
  name: 'Sam Supervisor',
  supervisor: true,
};

/** A clock the test moves by hand; starts at the real time so Redis TTLs read sensibly. */
function manualClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

type Clock = ReturnType<typeof manualClock>;

interface Kind {
  name: string;
  /** A store (and a second connection to the same data, as another replica would have). */
  open(clock: Clock): Promise<{ store: Store; replica: Store; prefix?: string }>;
  /** Real time passes for the store's own expiry; the memory store follows the test clock. */
  expire(clock: Clock, ms: number): Promise<void>;
  /** Keys the store still holds. */
  keys(stores: { store: Store; prefix?: string }): Promise<string[]>;
}

const kinds: Kind[] = [
  {
    name: 'memory',
    open: async (clock) => {
      const store = new MemoryStore({ now: clock.now });
      return { store, replica: store };
    },
    expire: async (clock, ms) => clock.advance(ms),
    keys: async ({ store }) => {
      // The memory store shows only how many keys it holds.
      const size = (store as MemoryStore).size;
      return Array.from({ length: size }, (_, i) => `key${i}`);
    },
  },
  {
    name: 'redis',
    open: async () => {
      prefixCount += 1;
      const prefix = `conv${prefixCount}:`;
      const store = new RedisStore({ url: redis.url, prefix });
      const replica = new RedisStore({ url: redis.url, prefix });
      await Promise.all([store.ready(), replica.ready()]);
      return { store, replica, prefix };
    },
    expire: async (clock, ms) => {
      clock.advance(ms);
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    keys: async ({ prefix }) => {
      const client = new Redis(redis.url);
      try {
        // Values and hashes sit under `<prefix>k:` (gateway/store/redis-store.ts).
        return (await client.keys(`${prefix}*`)).map((key) => key.replace(`${prefix}k:`, ''));
      } finally {
        client.disconnect();
      }
    },
  },
];

describe.each(kinds)('conversations on the $name store', (kind) => {
  const setUp = async (clock = manualClock(), config = DEFAULT_CONVERSATIONS) => {
    const opened = await kind.open(clock);
    let ids = 0;
    const newId = () => `c${++ids}-${Math.random().toString(36).slice(2, 8)}`;
    const conversations = new Conversations(opened.store, config, { now: clock.now, newId });
    const replica = new Conversations(opened.replica, config, {
      now: clock.now,
      newId,
    });
    return {
      clock,
      conversations,
      replica,
      store: opened.store,
      ...(opened.prefix ? { prefix: opened.prefix } : {}),
      async close() {
        await opened.store.close();
        if (opened.replica !== opened.store) await opened.replica.close();
      },
    };
  };

  it('finds the conversation by the platform’s call id, whoever joins', async () => {
    const t = await setUp();
    try {
      const first = await t.conversations.join(alex, { callId: 'CA-1', identity: JANE });
      t.clock.advance(30 * MIN);
      // Another replica, another agent, the same platform call (a transfer keeps its id).
      const second = await t.replica.join(marco, { callId: 'CA-1' });
      expect(second.id).toBe(first.id);
      expect(second.callIds).toEqual(['CA-1']);
      expect(second.participants.map((p) => [p.name, p.role])).toEqual([
        ['Alex Agent', 'agent'],
        ['Marco Rossi', 'agent'],
      ]);
    } finally {
      await t.close();
    }
  });

  it('links a call of the same caller within a few minutes of an earlier agent’s call, not later', async () => {
    const t = await setUp();
    try {
      const first = await t.conversations.join(alex, { callId: 'A-1', identity: JANE });
      t.clock.advance(3 * MIN);
      await t.conversations.leave(first.id, alex);
      t.clock.advance(DEFAULT_CONVERSATIONS.linkMinutes * MIN - 1000);
      // The transfer reached Marco's softphone under a call id of its own.
      const transferred = await t.replica.join(marco, { callId: 'B-7', identity: JANE });
      expect(transferred.id).toBe(first.id);
      expect(transferred.callIds.sort()).toEqual(['A-1', 'B-7']);
      const left = transferred.participants.find((p) => p.key === alex.key);
      expect(left?.leftAt).toBeDefined();

      await t.conversations.leave(first.id, marco);
      t.clock.advance(DEFAULT_CONVERSATIONS.linkMinutes * MIN + 1000);
      // Jane calls again much later: a new conversation, and her identity leads to it from now.
      const later = await t.conversations.join(alex, { callId: 'C-3', identity: JANE });
      expect(later.id).not.toBe(first.id);
      expect(later.participants.map((p) => p.key)).toEqual([alex.key]);
      const again = await t.replica.join(marco, { identity: JANE });
      expect(again.id).toBe(later.id);
      // The old one is still there for those who were on it, until it expires.
      expect((await t.conversations.get(first.id, alex)).notes).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('counts an agent whose extension went silent as on the call only for a while', async () => {
    const t = await setUp();
    try {
      const first = await t.conversations.join(alex, { identity: JANE });
      t.clock.advance(PARTICIPANT_STALE_MS + DEFAULT_CONVERSATIONS.linkMinutes * MIN + 1000);
      expect((await t.conversations.live()).map((c) => c.id)).toEqual([]);
      const next = await t.conversations.join(marco, { identity: JANE });
      expect(next.id).not.toBe(first.id);
    } finally {
      await t.close();
    }
  });

  it('puts two agents who join the same caller at once into one conversation', async () => {
    const t = await setUp();
    try {
      const [a, b] = await Promise.all([
        t.conversations.join(alex, { callId: 'X-1', identity: JANE }),
        t.replica.join(marco, { callId: 'Y-2', identity: JANE }),
      ]);
      expect(a.id).toBe(b.id);
      const both = await t.conversations.get(a.id, alex);
      expect(both.participants.map((p) => p.key).sort()).toEqual([alex.key, marco.key].sort());
    } finally {
      await t.close();
    }
  });

  it('is gone a day after the call started, however late it was written to', async () => {
    const t = await setUp();
    try {
      const first = await t.conversations.join(alex, { callId: 'CA-9', identity: JANE });
      t.clock.advance(DAY - 400);
      // A note written in the conversation's last moments does not buy it another day.
      await t.conversations.addNote(first.id, alex, { id: 'n1', text: 'still here' });
      expect((await t.conversations.get(first.id, alex)).notes.map((n) => n.text)).toEqual([
        'still here',
      ]);
      await kind.expire(t.clock, 600);
      await expect(t.conversations.get(first.id, alex)).rejects.toThrow(ConversationError);
      // Neither the call id nor the identity leads to it any more.
      const fresh = await t.replica.join(marco, { callId: 'CA-9', identity: JANE });
      expect(fresh.id).not.toBe(first.id);
      expect(fresh.notes).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('leaves nothing of an expired conversation in the store', async () => {
    // Kept half a second instead of a day, so that Redis's own expiry can be watched doing it.
    const clock = manualClock();
    const t = await setUp(clock, { linkMinutes: 10, retentionHours: 0.5 / 3600 });
    try {
      const first = await t.conversations.join(alex, { callId: 'CA-5', identity: JANE });
      clock.advance(100);
      await t.conversations.addNote(first.id, alex, { text: 'a note' });
      await t.conversations.pick(first.id, alex, { profileId: 'p-2', name: 'Tessa Baker' });
      await t.conversations.handOver(first.id, alex, { note: 'over to you' });
      const before = await kind.keys(t);
      expect(before.length).toBeGreaterThan(2);
      await kind.expire(clock, 700);
      // Left: only the team's list of agents and the index of live calls (no customer data).
      const after = await kind.keys(t);
      if (kind.name === 'redis')
        expect(after.sort()).toEqual(['conversation-team', 'conversations-live']);
      else expect(after).toHaveLength(2);
      await expect(t.conversations.get(first.id, alex)).rejects.toThrow(ConversationError);
      expect(await t.conversations.live()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('keeps the pick, a handoff with the wrap-up so far, and notes once each', async () => {
    const t = await setUp();
    try {
      const { id } = await t.conversations.join(alex, {
        identity: 'phone:+442079460456',
        summary: { name: 'Tessa Baker', tier: 'Gold', insights: [] },
      });
      await t.conversations.pick(id, alex, { profileId: 'tessa', name: 'Tessa Baker' });
      await t.conversations.addNote(id, alex, { id: 'note-1', text: 'asked about returns' });
      await t.conversations.addNote(id, alex, { id: 'note-1', text: 'asked about returns' });
      t.clock.advance(2 * MIN);
      const handoff = await t.conversations.handOver(id, alex, {
        note: 'Wants a refund for the drip tray',
        wrapUp: { disposition: 'follow_up', dispositionLabel: 'Follow-up needed', notes: 'refund' },
      });
      expect(handoff.picked?.profileId).toBe('tessa');
      const next = await t.replica.join(marco, { identity: 'phone:+442079460456' });
      expect(next.id).toBe(id);
      expect(next.picked).toMatchObject({ profileId: 'tessa', by: { name: 'Alex Agent' } });
      expect(next.notes.map((n) => [n.by.name, n.text])).toEqual([
        ['Alex Agent', 'asked about returns'],
      ]);
      expect(next.handoffs).toEqual([
        expect.objectContaining({
          by: { key: alex.key, name: 'Alex Agent' },
          note: 'Wants a refund for the drip tray',
          wrapUp: expect.objectContaining({ notes: 'refund' }),
        }),
      ]);
      const alexNow = next.participants.find((p) => p.key === alex.key);
      expect(alexNow).toMatchObject({ handedOver: true, leftAt: handoff.at });
      expect(next.summary).toMatchObject({ name: 'Tessa Baker', tier: 'Gold' });
    } finally {
      await t.close();
    }
  });

  it('hands on the pick and the wrap-up so far of a call that ended without Hand over', async () => {
    const t = await setUp();
    try {
      const { id } = await t.conversations.join(alex, { callId: 'A-9', identity: JANE });
      await t.conversations.pick(id, alex, { profileId: 'jane', name: 'Jane Doe' });
      await t.conversations.monitor(id, sam);
      t.clock.advance(MIN);
      // The platform transferred the call: Alex's page saw it end.
      await t.conversations.leave(id, alex, {
        wrapUp: { disposition: '', notes: 'asked for a refund' },
      });
      await t.conversations.leave(id, sam);
      const next = await t.replica.join(marco, { callId: 'B-2', identity: JANE });
      expect(next.id).toBe(id);
      expect(next.handoffs).toEqual([
        expect.objectContaining({
          by: { key: alex.key, name: 'Alex Agent' },
          note: '',
          ended: true,
          picked: expect.objectContaining({ profileId: 'jane' }),
          wrapUp: { disposition: '', notes: 'asked for a refund' },
        }),
      ]);
      // Leaving twice hands on nothing more; a listener's leaving hands on nothing.
      await t.conversations.leave(id, alex);
      expect((await t.conversations.get(id, marco)).handoffs).toHaveLength(1);
    } finally {
      await t.close();
    }
  });

  it('lets only those on it and supervisors in; a supervisor listens in and adds notes', async () => {
    const t = await setUp();
    try {
      const { id } = await t.conversations.join(alex, { callId: 'CA-2', identity: JANE });
      await expect(t.conversations.get(id, marco)).rejects.toMatchObject({ problem: 'not_found' });
      await expect(t.conversations.addNote(id, marco, { text: 'hi' })).rejects.toMatchObject({
        problem: 'not_found',
      });
      await expect(t.conversations.monitor(id, marco)).rejects.toMatchObject({
        problem: 'forbidden',
      });
      expect((await t.conversations.get(id, sam)).id).toBe(id);
      t.clock.advance(MIN);
      const monitored = await t.conversations.monitor(id, sam);
      expect(monitored.participants.find((p) => p.key === sam.key)?.role).toBe('monitor');
      await t.conversations.addNote(id, sam, { text: 'offer the voucher' });
      // A listener may not pick or hand over for the agent.
      await expect(t.conversations.pick(id, sam, { profileId: 'x' })).rejects.toMatchObject({
        problem: 'forbidden',
      });
      const live = await t.conversations.live();
      expect(live).toEqual([
        expect.objectContaining({
          id,
          identity: JANE,
          notes: 1,
          agents: [
            expect.objectContaining({ name: 'Alex Agent', role: 'agent' }),
            expect.objectContaining({ name: 'Sam Supervisor', role: 'monitor' }),
          ],
        }),
      ]);
      await t.conversations.leave(id, alex);
      expect(await t.conversations.live()).toEqual([]);
      expect((await t.conversations.team()).map((m) => m.name).sort()).toEqual([
        'Alex Agent',
        'Sam Supervisor',
      ]);
    } finally {
      await t.close();
    }
  });

  it('tells followers on another replica of every change', async () => {
    const t = await setUp();
    try {
      const { id } = await t.conversations.join(alex, { callId: 'CA-3', identity: JANE });
      let heard = 0;
      const subscription = await t.replica.subscribe(id, () => {
        heard += 1;
      });
      await t.conversations.addNote(id, alex, { text: 'one' });
      const deadline = Date.now() + 5000;
      while (heard === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await subscription.unsubscribe();
      expect(heard).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
