import { describe, expect, it, vi } from 'vitest';
import type { CallSession } from '../shared/call';
import { resolveConfig } from '../shared/config';
import type { ActivityEvent } from '../shared/model';
import { createSseParser, followActivityStream } from './gateway-client';
import { createLiveStream, STREAM_ALIVE_MS } from './live-stream';

const EVENT: ActivityEvent = {
  id: 'e-1',
  at: '2026-11-22T10:00:00.000Z',
  type: 'cart_add',
  title: 'Drip tray',
  source: 'collect',
};

/** A streamed response body the test writes to, as the gateway would. */
function eventStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  let closed = false;
  return {
    response: new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    // Ended once: by the test, or by the abort that follows it (as the network would).
    end: () => {
      if (closed) return;
      closed = true;
      controller.close();
    },
  };
}

describe('createSseParser', () => {
  it('joins data lines, ends a message at a blank line, skips comments, any line ending', () => {
    const messages: string[] = [];
    const feed = createSseParser((data) => messages.push(data));
    feed(': subscribed\n\n');
    feed('id: 1\ndata: {"a":\ndata: 1}\n\n');
    feed('data: two\r\n\r');
    feed('\ndata: three\r\rdata:four\n');
    feed('\n');
    expect(messages).toEqual(['{"a":\n1}', 'two', 'three', 'four']);
  });

  it('hands over the last event id with each message, as the spec keeps it', () => {
    const messages: [string, string | undefined][] = [];
    const feed = createSseParser((data, id) => messages.push([data, id]));
    feed('data: before any id\n\n');
    feed('id: 41\ndata: a\n\n');
    feed('data: b\n\n');
    feed('id:42\ndata: c\n\n');
    expect(messages).toEqual([
      ['before any id', undefined],
      ['a', '41'],
      ['b', '41'],
      ['c', '42'],
    ]);
  });

  it('refuses a message that never ends instead of holding it forever', () => {
    const feed = createSseParser(() => {});
    expect(() => feed(`data: ${'x'.repeat(300 * 1024)}`)).toThrow('oversized');
  });
});

describe('followActivityStream', () => {
  it('hands over each event, skipping broken and foreign messages, until the stream ends', async () => {
    const stream = eventStream();
    const seen: ActivityEvent[] = [];
    const requests: { url: string; headers: unknown }[] = [];
    const done = followActivityStream(
      { gatewayUrl: 'https://gw.example.com', gatewayToken: 't0ken' },
      { namespace: 'phone', value: '+442079460123' },
      (event) => seen.push(event),
      new AbortController().signal,
      async (url, init) => {
        requests.push({ url, headers: init?.headers });
        return stream.response;
      },
    );
    stream.write(': subscribed\n\n');
    stream.write(`data: ${JSON.stringify(EVENT)}\n\ndata: not json\n\ndata: {"id":1}\n\n`);
    stream.end();
    await done;
    expect(seen).toEqual([EVENT]);
    expect(requests).toEqual([
      {
        url: 'https://gw.example.com/v1/activity/stream?identity=phone%3A%2B442079460123',
        headers: { accept: 'text/event-stream', authorization: 'Bearer t0ken' },
      },
    ]);
  });

  it('sends Last-Event-ID when it resumes, and hands over each event with its id', async () => {
    const stream = eventStream();
    const seen: [string, string | undefined][] = [];
    const requests: { headers: unknown }[] = [];
    const done = followActivityStream(
      { gatewayUrl: 'https://gw.example.com', gatewayToken: 't0ken' },
      { namespace: 'phone', value: '+442079460123' },
      (event, id) => seen.push([event.id, id]),
      new AbortController().signal,
      async (_url, init) => {
        requests.push({ headers: init?.headers });
        return stream.response;
      },
      () => {},
      '17',
    );
    stream.write(`id: 18\ndata: ${JSON.stringify(EVENT)}\n\n`);
    stream.end();
    await done;
    expect(seen).toEqual([['e-1', '18']]);
    expect(requests[0]?.headers).toMatchObject({ 'last-event-id': '17' });
  });

  it('says in words when the gateway refuses', async () => {
    await expect(
      followActivityStream(
        { gatewayUrl: 'https://gw.example.com', gatewayToken: '' },
        { namespace: 'phone', value: '+442079460123' },
        () => {},
        new AbortController().signal,
        async () => new Response('{}', { status: 401 }),
      ),
    ).rejects.toThrow('The gateway answered 401 to the activity stream.');
  });
});

describe('live stream', () => {
  function setup(options: { target?: () => boolean; now?: () => number } = {}) {
    const streams: ReturnType<typeof eventStream>[] = [];
    const added: string[] = [];
    const broadcasts: CallSession[] = [];
    const waits: number[] = [];
    const headers: Record<string, string>[] = [];
    const live = createLiveStream({
      liveActivity: {
        streamTarget: async () =>
          (options.target?.() ?? true)
            ? { identity: { namespace: 'phone', value: '+442079460123' } }
            : null,
        addStreamed: async (callId, events) => {
          added.push(...events.map((e) => `${callId}:${e.id}`));
          return { id: callId } as CallSession;
        },
      },
      config: {
        get: async () => resolveConfig({ agent: { gatewayUrl: 'https://gw.example.com' } }),
      },
      fetch: async (_url, init) => {
        headers.push({ ...(init?.headers as Record<string, string>) });
        const stream = eventStream();
        init?.signal?.addEventListener('abort', () => stream.end());
        streams.push(stream);
        return stream.response;
      },
      broadcast: (session) => broadcasts.push(session),
      wait: async (ms) => void waits.push(ms),
      ...(options.now ? { now: options.now } : {}),
    });
    return { live, streams, added, broadcasts, waits, headers };
  }

  it('adds a streamed event to the live call at once and tells the sidebars', async () => {
    const { live, streams, added, broadcasts } = setup();
    live.follow('call-1');
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    streams[0]?.write(`data: ${JSON.stringify(EVENT)}\n\n`);
    await vi.waitFor(() => expect(added).toEqual(['call-1:e-1']));
    await vi.waitFor(() => expect(broadcasts.map((s) => s.id)).toEqual(['call-1']));
    live.stop();
  });

  it('reconnects after a broken stream with the last event id it had, so nothing collected meanwhile is missed', async () => {
    const { live, streams, headers } = setup();
    live.follow('call-1');
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    expect(headers[0]?.['last-event-id']).toBeUndefined();
    streams[0]?.write(`id: 90\ndata: ${JSON.stringify(EVENT)}\n\n`);
    streams[0]?.write(`id: 91\ndata: ${JSON.stringify({ ...EVENT, id: 'e-2' })}\n\n`);
    // The replica holding the stream dies: what it sent is read, then the stream ends.
    streams[0]?.end();
    await vi.waitFor(() => expect(streams).toHaveLength(2));
    expect(headers[1]?.['last-event-id']).toBe('91');
    live.stop();
  });

  it('reconnects, waiting longer each time, while the call is live; stops when it is not', async () => {
    let live = true;
    const { live: stream, streams, waits } = setup({ target: () => live });
    stream.follow('call-1');
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    streams[0]?.end();
    await vi.waitFor(() => expect(streams).toHaveLength(2));
    streams[1]?.end();
    await vi.waitFor(() => expect(streams).toHaveLength(3));
    expect(waits).toEqual([1_000, 2_000]);
    live = false; // the call ended
    streams[2]?.end();
    await vi.waitFor(() => expect(stream.following()).toBeUndefined());
    expect(streams).toHaveLength(3);
  });

  it('follows one call: another call or none closes the stream it had', async () => {
    const { live, streams } = setup();
    live.follow('call-1');
    live.follow('call-1');
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    live.follow('call-2');
    await vi.waitFor(() => expect(streams).toHaveLength(2));
    expect(live.following()).toBe('call-2');
    live.follow(null);
    expect(live.following()).toBeUndefined();
  });

  it('counts as alive while the gateway is heard from, heartbeats included, and not after', async () => {
    let clock = 0;
    const { live, streams } = setup({ now: () => clock });
    live.follow('call-1');
    await vi.waitFor(() => expect(streams).toHaveLength(1));
    expect(live.alive('call-1')).toBe(false);
    streams[0]?.write(': heartbeat\n\n');
    await vi.waitFor(() => expect(live.alive('call-1')).toBe(true));
    expect(live.alive('call-2')).toBe(false);
    clock += STREAM_ALIVE_MS;
    expect(live.alive('call-1')).toBe(false);
    streams[0]?.write(': heartbeat\n\n');
    await vi.waitFor(() => expect(live.alive('call-1')).toBe(true));
    // The stream ends: not alive until the next connection is heard from.
    streams[0]?.end();
    await vi.waitFor(() => expect(streams).toHaveLength(2));
    expect(live.alive('call-1')).toBe(false);
    live.stop();
  });
});
