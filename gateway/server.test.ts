import { afterEach, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/model';
import { silentLogger } from './request-log';
import { type RunningGateway, startGateway } from './server';
import { MemoryStore } from './store/memory-store';
import { AGENT, demoConfig, SITE } from './test-support/fixtures';

let running: RunningGateway | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(store = new MemoryStore(), heartbeatMs?: number) {
  running = await startGateway(demoConfig(), {
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger,
    store,
    ...(heartbeatMs ? { heartbeatMs } : {}),
  });
  return running;
}

/** Reads the SSE body until `done` says the text so far is enough. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  done: (text: string) => boolean,
): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`stream ended early after: ${text}`);
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text;
}

describe('startGateway', () => {
  it('listens on a free port and serves the context over real HTTP', async () => {
    const { url, port } = await start();
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    const res = await fetch(`${url}/v1/context?identity=phone%3A%2B442079460123`, {
      headers: AGENT,
    });
    expect(res.status).toBe(200);
    const context = (await res.json()) as { matches: { profile: { displayName: string } }[] };
    expect(context.matches[0]?.profile.displayName).toBe('Jane Doe');
  });

  it('refuses a 5 MB body with 413 JSON and keeps serving', async () => {
    const { url } = await start();
    const huge = JSON.stringify({ id: 'big', note: 'x'.repeat(5 * 1024 * 1024) });
    const res = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { ...AGENT, 'Content-Type': 'application/json' },
      body: huge,
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large' } });

    const streamed = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { ...AGENT, 'Content-Type': 'application/json' },
      // A stream has no Content-Length, so the limit must be enforced while reading.
      body: new Blob([huge]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const small = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { ...AGENT, 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 'small' }),
    });
    expect(small.status).toBe(202);
  });

  it('streams an event collected after subscribing, with its id, and unsubscribes on disconnect', async () => {
    const store = new MemoryStore();
    const { url } = await start(store);
    const abort = new AbortController();
    const res = await fetch(`${url}/v1/activity/stream?identity=phone%3A%2B442079460123`, {
      headers: AGENT,
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await readUntil(reader, (text) => text.includes(': subscribed'));
    // Jane's phone and email are both watched.
    expect(store.followedStreamCount).toBe(2);

    const collect = await fetch(`${url}/v1/collect`, {
      method: 'POST',
      headers: { ...SITE, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        identity: 'email:jane.doe@example.com',
        events: [{ type: 'checkout', title: 'Checkout', value: 19, currency: 'GBP' }],
      }),
    });
    expect(collect.status).toBe(202);

    const text = await readUntil(reader, (t) => t.includes('data: ') && t.endsWith('\n\n'));
    const data = /^data: (.*)$/m.exec(text)?.[1] ?? '';
    const event = JSON.parse(data) as ActivityEvent;
    expect(event).toMatchObject({ type: 'checkout', title: 'Checkout', source: 'web' });
    expect(text).toMatch(/^id: \d+$/m);

    abort.abort();
    await expect.poll(() => store.followedStreamCount, { timeout: 2000 }).toBe(0);
  });

  it('resumes a stream after Last-Event-ID with what was collected meanwhile, in order', async () => {
    const { url } = await start();
    const collect = (title: string) =>
      fetch(`${url}/v1/collect`, {
        method: 'POST',
        headers: { ...SITE, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          identity: 'email:jane.doe@example.com',
          events: [{ type: 'page_view', title }],
        }),
      });
    const open = (headers: Record<string, string> = {}) =>
      fetch(`${url}/v1/activity/stream?identity=phone%3A%2B442079460123`, {
        headers: { ...AGENT, ...headers },
      });
    const first = await open();
    const reader = (first.body as ReadableStream<Uint8Array>).getReader();
    await readUntil(reader, (text) => text.includes(': subscribed'));
    await collect('seen');
    const seen = await readUntil(reader, (t) => t.includes('"seen"') && t.endsWith('\n\n'));
    const lastId = /^id: (\d+)$/m.exec(seen)?.[1] ?? '';
    await reader.cancel();
    for (const title of ['missed 1', 'missed 2']) expect((await collect(title)).status).toBe(202);

    const again = await open({ 'Last-Event-ID': lastId });
    const resumed = (again.body as ReadableStream<Uint8Array>).getReader();
    const text = await readUntil(resumed, (t) => t.includes('"missed 2"') && t.endsWith('\n\n'));
    const titles = [...text.matchAll(/"title":"([^"]+)"/g)].map((m) => m[1]);
    expect(titles).toEqual(['missed 1', 'missed 2']);
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.every((id) => id > Number(lastId))).toBe(true);
    await resumed.cancel();
  });

  it('sends heartbeat comments on an idle stream', async () => {
    const { url } = await start(new MemoryStore(), 20);
    const res = await fetch(`${url}/v1/activity/stream?identity=phone%3A%2B442079460000`, {
      headers: AGENT,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const text = await readUntil(reader, (t) => t.split(': heartbeat\n\n').length > 2);
    expect(text.startsWith(': subscribed\n\n')).toBe(true);
    await reader.cancel();
  });

  it('ends open streams on close', async () => {
    const { url, close } = await start();
    const res = await fetch(`${url}/v1/activity/stream?identity=phone%3A%2B442079460123`, {
      headers: AGENT,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await readUntil(reader, (text) => text.includes(': subscribed'));
    await close();
    running = undefined;
    let ended = false;
    while (!ended) ended = (await reader.read()).done;
    expect(ended).toBe(true);
  });
});
