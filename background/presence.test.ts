import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import type { CallSession } from '../shared/call';
import {
  createPresence,
  HEARTBEAT_MINUTES,
  PRESENCE_ALARM,
  presenceOf,
  REFUSED_PAUSE_MS,
  WRAP_UP_LIMIT_MS,
} from './presence';

afterEach(() => {
  fakeBrowser.reset();
});

const T0 = Date.parse('2026-11-21T09:00:00Z');

function call(state: CallSession['state'], extra: Partial<CallSession> = {}): CallSession {
  return {
    id: 'call-1',
    rawNumber: '+44 20 7946 0123',
    identity: { namespace: 'phone', value: '+442079460123' },
    state,
    detector: 'demo',
    ringingAt: new Date(T0 - 120_000).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    lookup: { status: 'pending' },
    ...extra,
  };
}

/** A gateway that records what it is told and answers with `status`. */
function gateway(status = 200) {
  const posts: { url: string; body: unknown; auth: string | null; keepalive?: boolean }[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    posts.push({
      url,
      body: JSON.parse(String(init?.body)),
      auth: new Headers(init?.headers).get('authorization'),
      ...(init?.keepalive ? { keepalive: true } : {}),
    });
    return new Response('{}', { status });
  };
  return { fetch, posts, states: () => posts.map((p) => (p.body as { state: string }).state) };
}

function setup(options: { status?: number; windows?: number } = {}) {
  let current: CallSession | null = null;
  let time = T0;
  let token = 'marco-token';
  const remote = gateway(options.status);
  const presence = createPresence({
    gateway: async () => ({ gatewayUrl: 'https://gw.example.com', gatewayToken: token }),
    fetch: remote.fetch,
    currentCall: async () => current,
    session: fakeBrowser.storage.session,
    alarms: fakeBrowser.alarms,
    openWindows: async () => Array.from({ length: options.windows ?? 0 }, () => ({})),
    now: () => time,
  });
  return {
    presence,
    remote,
    setCall: (session: CallSession | null) => {
      current = session;
    },
    advance: (ms: number) => {
      time += ms;
    },
    setToken: (value: string) => {
      token = value;
    },
  };
}

describe('presenceOf', () => {
  it('reads the state from the call the sidebar shows', () => {
    expect(presenceOf(null, T0)).toBe('available');
    expect(presenceOf(call('ringing'), T0)).toBe('busy');
    expect(presenceOf(call('connected'), T0)).toBe('busy');
    const ended = {
      connectedAt: new Date(T0 - 60_000).toISOString(),
      endedAt: new Date(T0).toISOString(),
    };
    expect(presenceOf(call('ended', ended), T0)).toBe('wrap_up');
    expect(presenceOf(call('ended', ended), T0 + WRAP_UP_LIMIT_MS)).toBe('available');
    // A call that rang out was never the agent's to wrap up.
    expect(
      presenceOf(call('ended', { missed: true, endedAt: new Date(T0).toISOString() }), T0),
    ).toBe('available');
  });
});

describe('presence', () => {
  it('tells the gateway each change once, with the agent token', async () => {
    const { presence, remote, setCall } = setup();
    await presence.sync('change');
    await presence.sync('change');
    setCall(call('connected'));
    await presence.sync('change');
    setCall(
      call('ended', {
        connectedAt: new Date(T0).toISOString(),
        endedAt: new Date(T0).toISOString(),
      }),
    );
    await presence.sync('change');
    expect(remote.states()).toEqual(['available', 'busy', 'wrap_up']);
    expect(remote.posts[0]).toMatchObject({
      url: 'https://gw.example.com/v1/presence',
      auth: 'Bearer marco-token',
    });
  });

  it('repeats the state on every heartbeat, and a change after a quiet minute tells it again', async () => {
    const { presence, remote, advance } = setup();
    await presence.sync('change');
    advance(HEARTBEAT_MINUTES * 60_000);
    await presence.sync('heartbeat');
    await presence.sync('heartbeat');
    advance(HEARTBEAT_MINUTES * 60_000);
    await presence.sync('change');
    expect(remote.states()).toEqual(['available', 'available', 'available', 'available']);
  });

  it('creates the heartbeat alarm once, so a waking worker does not postpone it', async () => {
    const { presence } = setup();
    await presence.schedule();
    const first = await fakeBrowser.alarms.get(PRESENCE_ALARM);
    expect(first?.periodInMinutes).toBe(HEARTBEAT_MINUTES);
    await presence.schedule();
    expect((await fakeBrowser.alarms.get(PRESENCE_ALARM))?.scheduledTime).toBe(
      first?.scheduledTime,
    );
  });

  it('says offline when the last window closes, with a request that outlives the page', async () => {
    const open = setup({ windows: 1 });
    await open.presence.windowClosed();
    expect(open.remote.posts).toEqual([]);
    const closing = setup({ windows: 0 });
    await closing.presence.windowClosed();
    expect(closing.remote.posts).toEqual([
      expect.objectContaining({ body: { state: 'offline' }, keepalive: true }),
    ]);
  });

  it('stops asking for a while when the token names no agent', async () => {
    const { presence, remote, advance } = setup({ status: 403 });
    await presence.sync('heartbeat');
    await presence.sync('heartbeat');
    expect(remote.posts).toHaveLength(1);
    advance(REFUSED_PAUSE_MS);
    await presence.sync('heartbeat');
    expect(remote.posts).toHaveLength(2);
  });

  it('asks again at once when the agent changes to a token that may name them', async () => {
    const { presence, remote, setToken } = setup({ status: 403 });
    await presence.sync('change');
    await presence.sync('change');
    expect(remote.posts).toHaveLength(1);
    setToken('another-token');
    await presence.sync('change');
    expect(remote.posts.map((p) => p.auth)).toEqual(['Bearer marco-token', 'Bearer another-token']);
  });

  it('keeps no token in session storage', async () => {
    const { presence } = setup();
    await presence.sync('change');
    const kept = JSON.stringify(await fakeBrowser.storage.session.get(null));
    expect(kept).toContain('available');
    expect(kept).not.toContain('marco-token');
  });

  it('rejects when the gateway fails, so the next heartbeat tries again', async () => {
    const { presence } = setup({ status: 503 });
    await expect(presence.sync('heartbeat')).rejects.toThrow(/503/);
  });
});
