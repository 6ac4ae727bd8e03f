import { describe, expect, it } from 'vitest';
import { MemoryIvrStore } from './ivr-store';
import { PRESENCE_TTL_MS, PresenceRegistry } from './presence';

function clock(start = Date.parse('2026-11-21T09:00:00Z')) {
  let at = start;
  return {
    now: () => at,
    advance: (ms: number) => {
      at += ms;
    },
  };
}

const MARCO = { email: 'Marco.Rossi@laboutique.example', id: 'emp-17', name: 'Marco Rossi' };

describe('presence', () => {
  it('keeps a report for 90 s of silence, then counts the agent as offline', async () => {
    const time = clock();
    const presence = new PresenceRegistry(new MemoryIvrStore(time.now), time.now);
    await presence.report(MARCO, 'available');
    time.advance(PRESENCE_TTL_MS - 1000);
    expect((await presence.stateOf({ email: 'marco.rossi@laboutique.example' })).state).toBe(
      'available',
    );
    time.advance(1000);
    expect((await presence.stateOf({ email: 'marco.rossi@laboutique.example' })).state).toBe(
      'offline',
    );
  });

  it('counts a record older than 90 s as offline even where the store still holds it', async () => {
    const time = clock();
    // A store that never expires anything: the registry's own check still applies.
    const store = new MemoryIvrStore(() => 0);
    const presence = new PresenceRegistry(store, time.now);
    await presence.report(MARCO, 'busy');
    time.advance(PRESENCE_TTL_MS + 1);
    expect((await presence.stateOf(MARCO)).state).toBe('offline');
  });

  it('a heartbeat extends the window, and the newest state wins', async () => {
    const time = clock();
    const presence = new PresenceRegistry(new MemoryIvrStore(time.now), time.now);
    await presence.report(MARCO, 'available');
    time.advance(60_000);
    await presence.report(MARCO, 'busy');
    time.advance(60_000);
    expect((await presence.stateOf(MARCO)).state).toBe('busy');
    await presence.report(MARCO, 'wrap_up');
    expect((await presence.stateOf(MARCO)).state).toBe('wrap_up');
  });

  it('finds an agent by email (any case) or by id, and an explicit offline is offline', async () => {
    const time = clock();
    const presence = new PresenceRegistry(new MemoryIvrStore(time.now), time.now);
    await presence.report(MARCO, 'available');
    expect((await presence.stateOf({ id: 'emp-17' })).state).toBe('available');
    expect((await presence.stateOf({ email: 'MARCO.ROSSI@laboutique.example' })).state).toBe(
      'available',
    );
    expect((await presence.stateOf({ email: 'priya@laboutique.example' })).state).toBe('offline');
    expect((await presence.stateOf({})).state).toBe('offline');
    time.advance(5000);
    await presence.report(MARCO, 'offline');
    expect((await presence.stateOf({ id: 'emp-17' })).state).toBe('offline');
  });
});
