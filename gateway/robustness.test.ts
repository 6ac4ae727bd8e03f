import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallerContext } from '../shared/model';
import { silentLogger } from './request-log';
import { type RunningGateway, startGateway } from './server';
import { AGENT, demoConfig } from './test-support/fixtures';

/** A back end that misbehaves in every way a real one has been seen to, on loopback. */
function misbehavingBackEnd(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/hang') return; // never answers
    if (path === '/error') {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"message":"database unavailable"}');
      return;
    }
    if (path === '/garbage') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('<html>Service Unavailable</html>');
      return;
    }
    if (path === '/huge') {
      // 10 MB without a Content-Length, so only reading it could tell its size.
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = `[${'"x",'.repeat(16_383)}"x"]`.slice(0, 65_536);
      let sent = 0;
      const pump = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!response.write(chunk)) return response.once('drain', pump);
        }
        response.end();
      };
      pump();
      return;
    }
    if (path === '/busy') {
      response.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      response.end('{"message":"slow down"}');
      return;
    }
    response.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('a failing source never stops the others', { timeout: 30_000 }, () => {
  let backEnd: Server;
  let gateway: RunningGateway;

  beforeAll(async () => {
    backEnd = await misbehavingBackEnd();
    const base = `http://127.0.0.1:${(backEnd.address() as AddressInfo).port}`;
    const rest = (id: string, path: string) => ({
      id,
      type: 'rest',
      url: `${base}${path}?phone={value}`,
      map: { id: 'id' },
    });
    gateway = await startGateway(
      demoConfig({
        sources: [
          { id: 'demo', type: 'demo' },
          rest('hangs', '/hang'),
          rest('fails', '/error'),
          rest('garbles', '/garbage'),
          rest('floods', '/huge'),
          rest('throttles', '/busy'),
        ],
        sourceTimeoutMs: 2000,
      }),
      { port: 0, logger: silentLogger },
    );
  });

  afterAll(async () => {
    await gateway?.close();
    backEnd?.closeAllConnections();
    await new Promise((resolve) => backEnd?.close(resolve));
  });

  it("brings the demo source's caller with each failing source's error listed", async () => {
    const response = await fetch(
      `${gateway.url}/v1/context?identity=${encodeURIComponent('phone:+442079460123')}`,
      { headers: AGENT },
    );
    expect(response.status).toBe(200);
    const context = (await response.json()) as CallerContext;
    expect(context.matches.map((m) => m.profile.displayName)).toEqual(['Jane Doe']);
    const errors = Object.fromEntries(context.errors.map((e) => [e.source, e.message]));
    expect(Object.keys(errors).sort()).toEqual([
      'fails',
      'floods',
      'garbles',
      'hangs',
      'throttles',
    ]);
    expect(errors.hangs).toBe('timed out after 2000 ms');
    expect(errors.fails).toBe('REST source fails answered 500 (database unavailable)');
    expect(errors.garbles).toBe('REST source garbles sent a response that is not JSON');
    expect(errors.floods).toBe('REST source floods sent more than 2 MB; refusing to read it');
    expect(errors.throttles).toBe('REST source throttles is rate limiting us (retry after 30 s)');
  });
});
