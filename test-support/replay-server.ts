import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Reply } from './replay';

/**
 * Test support: a loopback HTTP server that answers a platform's documented endpoints with its
 * documented examples (`shared/connectors/fixtures/`), and 404 to every other method and path,
 * so a connector that calls an endpoint the vendor does not document fails its contract test.
 * Node only; never bundled.
 */
export interface ReplayedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

export interface DocumentedRoute {
  method: 'GET' | 'POST' | 'PATCH';
  /** The documented path, exactly (no trailing-slash or case leniency). */
  path: string;
  /** Narrows the route to requests of one documented shape (a query parameter, a body field). */
  when?: (request: ReplayedRequest) => boolean;
  reply: Reply | ((request: ReplayedRequest) => Reply);
}

export interface VendorReplay {
  /** `http://127.0.0.1:PORT`, for a config's `baseUrl` and `tokenUrl`. */
  url: string;
  /** Every request, in order. */
  requests: ReplayedRequest[];
  /** Requests no documented route answered (each got a 404). */
  undocumented: ReplayedRequest[];
  close(): Promise<void>;
}

export async function startVendorReplay(routes: readonly DocumentedRoute[]): Promise<VendorReplay> {
  const requests: ReplayedRequest[] = [];
  const undocumented: ReplayedRequest[] = [];
  const server: Server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers))
        if (typeof value === 'string') headers.set(name, value);
      const request: ReplayedRequest = {
        method: incoming.method ?? 'GET',
        url: new URL(incoming.url ?? '/', 'http://127.0.0.1'),
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const route = routes.find(
        (r) =>
          r.method === request.method &&
          r.path === request.url.pathname &&
          (r.when?.(request) ?? true),
      );
      if (!route) {
        undocumented.push(request);
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'not a documented endpoint' } }));
        return;
      }
      const reply = typeof route.reply === 'function' ? route.reply(request) : route.reply;
      const text =
        'text' in reply && reply.text !== undefined ? reply.text : JSON.stringify(reply.response);
      response.writeHead(reply.status ?? 200, {
        'content-type': 'application/json',
        ...('headers' in reply ? reply.headers : {}),
      });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    undocumented,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
