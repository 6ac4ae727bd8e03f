import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createGateway, type Gateway, type GatewayOptions } from './app';
import type { GatewayConfig } from './config';
import { consoleLogger } from './request-log';

export interface StartOptions extends GatewayOptions {
  /** Overrides `config.listen.host`. */
  host?: string;
  /** Overrides `config.listen.port`; 0 picks a free port (tests, benchmarks, the demo). */
  port?: number;
}

export interface RunningGateway {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  gateway: Gateway;
  /** Ends activity streams, lets requests in flight finish (up to 5 s), then closes. */
  close(): Promise<void>;
}

const DRAIN_LIMIT_MS = 5000;
const STORE_WAIT_MS = 5000;

/** Serves the gateway on Node; resolves once it listens. */
export async function startGateway(
  config: GatewayConfig,
  options: StartOptions = {},
): Promise<RunningGateway> {
  const { host = config.listen.host, port = config.listen.port, ...gatewayOptions } = options;
  const gateway = createGateway(config, {
    peerAddress: (c) => getConnInfo(c).remote.address,
    ...gatewayOptions,
  });
  try {
    // A replica that answers before its store is connected would turn its first writes away.
    await gateway.store.ready(STORE_WAIT_MS);
  } catch {
    // Redis is down: serve lookups now (collect and events answer 503 until it is back).
    (gatewayOptions.logger ?? consoleLogger).error(
      'the store is not reachable; serving lookups, collect and events answer 503 until it is',
    );
  }
  const inFlight = new InFlight();
  const server = await listen(
    (request) => inFlight.track(() => gateway.app.fetch(request)),
    host,
    port,
  );
  const actualPort = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    gateway,
    async close() {
      await gateway.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await inFlight.drained(DRAIN_LIMIT_MS);
      // What is left are keep-alive sockets and uploads we already answered (a refused 5 MB
      // body is still arriving): waiting on them would only delay shutdown.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
    },
  };
}

function listen(
  fetch: (request: Request) => Promise<Response>,
  hostname: string,
  port: number,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => {
      server.off('error', reject);
      resolve(server);
    });
    server.once('error', reject);
  });
}

/** Counts requests whose response is not ready yet (streams count only until they start). */
class InFlight {
  #count = 0;
  #waiters: (() => void)[] = [];

  async track(handle: () => Response | Promise<Response>): Promise<Response> {
    this.#count += 1;
    try {
      return await handle();
    } finally {
      this.#count -= 1;
      if (this.#count === 0) for (const wake of this.#waiters.splice(0)) wake();
    }
  }

  drained(limitMs: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
