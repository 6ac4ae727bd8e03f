import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real parts for multi-process tests and the scale benchmark: gateway processes started as an
 * admin would (`tsx gateway/main.ts --config FILE`), each stopped or killed by its own PID, a
 * sink on loopback that records what it took, and an SSE reader.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface GatewayProcess {
  url: string;
  pid: number;
  /** Lines the process wrote (JSON log lines), stdout and stderr. */
  output: string[];
  /** SIGKILL: the process dies at once, as in a crash or an OOM kill. */
  kill(): Promise<void>;
  /** SIGTERM: a clean shutdown (streams end, deliveries in flight finish). */
  stop(): Promise<void>;
}

export async function writeConfig(
  config: unknown,
): Promise<{ file: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cc-gateway-'));
  const file = path.join(dir, 'gateway.config.json');
  await writeFile(file, JSON.stringify(config, null, 2));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function spawnGateway(
  configFile: string,
  env: Record<string, string> = {},
  options: {
    keepOutput?: boolean;
    nodeArgs?: string[];
    /** A bundled gateway (`main.mjs` of `bundleGateway`) to run instead of the sources. */
    bundle?: string;
  } = {},
): Promise<GatewayProcess> {
  const keepOutput = options.keepOutput ?? true;
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the gateway in a child process,
  // which a SIGKILL of the CLI would leave running.
  const entry = options.bundle ? [options.bundle] : ['--import', 'tsx', 'gateway/main.ts'];
  const args = [...(options.nodeArgs ?? []), ...entry, '--config', configFile];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let started = false;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the gateway did not start:\n${output.join('\n')}`)),
      60_000,
    );
    const read = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line || (started && !keepOutput)) continue;
        output.push(line);
        const found = /listening on (http:\/\/[^\s"]+)/.exec(line);
        if (found?.[1]) {
          started = true;
          clearTimeout(timer);
          resolve(found[1]);
        }
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code}):\n${output.join('\n')}`));
    });
  });
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(name);
    await exited;
  };
  return {
    url,
    pid: child.pid ?? -1,
    output,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  };
}

/** One request a sink received: whether it answered 2xx (took it) or the caller went away. */
export interface SinkRequest {
  messageId: string;
  body: Record<string, unknown>;
  /** The sink answered 200. */
  acknowledged: boolean;
  /** The caller went away before an answer. */
  abandoned: boolean;
}

export interface RecordingSink {
  url: string;
  requests: SinkRequest[];
  /** Hold requests (answer none) until `release`; a caller that dies meanwhile never got a 2xx. */
  hold(): void;
  release(): void;
  /** Message ids the sink took (answered 2xx), each as often as it took it. */
  acknowledged(): string[];
  close(): Promise<void>;
}

/**
 * A Segment-compatible sink (HTTP Tracking API `POST /v1/track`, messageId as the event id) on
 * loopback that records every request and whether it was answered.
 */
export async function startRecordingSink(): Promise<RecordingSink> {
  const requests: SinkRequest[] = [];
  let holding = false;
  const held: { request: SinkRequest; response: ServerResponse }[] = [];
  const answer = (request: SinkRequest, response: ServerResponse) => {
    if (request.abandoned || response.destroyed || response.socket?.destroyed) return;
    request.acknowledged = true;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{"success":true}');
  };
  const server: Server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    let text = '';
    incoming.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    incoming.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Recorded as it came.
      }
      const request: SinkRequest = {
        messageId: String(body.messageId ?? ''),
        body,
        acknowledged: false,
        abandoned: false,
      };
      response.on('close', () => {
        if (!request.acknowledged) request.abandoned = true;
      });
      requests.push(request);
      if (holding) held.push({ request, response });
      else answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const { request, response } of held.splice(0)) answer(request, response);
    },
    acknowledged: () => requests.filter((r) => r.acknowledged).map((r) => r.messageId),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface SseMessage {
  id: string | undefined;
  data: string;
}

export interface SseReader {
  messages: SseMessage[];
  /** Comments seen (`: subscribed`, `: heartbeat`). */
  comments: string[];
  /** Resolves once `predicate` holds for the messages so far (polled as they arrive). */
  until(predicate: (messages: SseMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

/** Opens an activity stream and parses its Server-Sent Events as they come. */
export async function openStream(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; reader: SseReader | undefined; body: string }> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  if (response.status !== 200)
    return { status: response.status, reader: undefined, body: await response.text() };
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id:')) id = line.slice(3).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          if (data.length > 0) messages.push({ id, data: data.join('\n') });
          end = buffer.indexOf('\n\n');
        }
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // Aborted or cut off: the stream has ended either way.
    }
    for (const wake of [...waiters]) wake();
  })();
  let done = false;
  void ended.then(() => {
    done = true;
  });
  const reader: SseReader = {
    messages,
    comments,
    ended,
    close: () => abort.abort(),
    until(predicate, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(messages)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          } else if (done) {
            waiters.delete(check);
            clearTimeout(timer);
            reject(new Error(`the stream ended; it had ${JSON.stringify(messages)}`));
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting on the stream; it had ${JSON.stringify(messages)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
  // Live once the gateway says so: anything collected from now on arrives.
  await new Promise<void>((resolve, reject) => {
    const started = Date.now();
    const look = () => {
      if (comments.includes('subscribed')) return resolve();
      if (done) return reject(new Error('the stream ended before it was live'));
      if (Date.now() - started > 20_000) return reject(new Error('the stream never went live'));
      setTimeout(look, 10);
    };
    look();
  });
  return { status: 200, reader, body: '' };
}

/** Polls `read` until `ok` holds (generous deadline, for a busy 2-core machine). */
export async function eventually<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
