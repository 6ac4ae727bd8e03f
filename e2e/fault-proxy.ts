import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What the proxy does to the next requests:
 * - `pass`: forwards to the gateway and relays its answer;
 * - `503`, `429`: answers so itself (429 with `Retry-After: retryAfterSeconds`);
 * - `commit-then-drop`: forwards, lets the gateway store the event, then cuts the connection
 *   before the client hears the answer (the client must send again; the gateway must drop it);
 * - `down`: does not listen at all (connection refused).
 */
export type FaultPhase = 'pass' | '503' | '429' | 'commit-then-drop' | 'down';

export interface FaultProxy {
  url: string;
  /** Requests seen per phase, for waiting until a fault was really met. */
  seen: Record<FaultPhase, number>;
  /** Every request that reached the proxy, as "METHOD /path?query", oldest first. */
  requests: string[];
  setPhase(phase: FaultPhase, options?: { retryAfterSeconds?: number }): Promise<void>;
  close(): Promise<void>;
}

/** A loopback proxy in front of the gateway that plays scripted faults. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  let phase: FaultPhase = 'pass';
  let retryAfterSeconds = 1;
  const seen: Record<FaultPhase, number> = {
    pass: 0,
    '503': 0,
    '429': 0,
    'commit-then-drop': 0,
    down: 0,
  };
  const sockets = new Set<Socket>();
  const requests: string[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const current = phase;
    seen[current]++;
    requests.push(`${req.method} ${req.url}`);
    if (current === '503' || current === '429') {
      req.resume();
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (current === '429') headers['retry-after'] = String(retryAfterSeconds);
      res.writeHead(Number(current), headers);
      res.end(JSON.stringify({ error: { code: 'unavailable', message: `scripted ${current}` } }));
      return;
    }
    const upstream = request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: targetUrl.host },
      },
      (answer) => {
        if (current === 'commit-then-drop') {
          // The gateway has stored it; the client never learns.
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  };

  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });

  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    requests,
    async setPhase(next, options = {}) {
      retryAfterSeconds = options.retryAfterSeconds ?? retryAfterSeconds;
      const wasDown = phase === 'down';
      phase = next;
      if (next === 'down' && !wasDown) await stop();
      if (next !== 'down' && wasDown) await listen(port);
    },
    async close() {
      if (phase !== 'down') await stop();
    },
  };
}
