import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { silentLogger } from '../gateway/request-log';
import { startGateway } from '../gateway/server';
import { demoConfig } from '../gateway/test-support/fixtures';

/**
 * The servers under load, in their own process so the load generator does not share their
 * event loop: the gateway with the demo source, and a bare Hono route returning a constant.
 * Prints `{ "gateway": url, "bare": url }` once both listen; stops on SIGTERM.
 */
const bare = new Hono().get('/', (c) => c.json({ ok: true }));
const bareServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
  const server = serve({ fetch: bare.fetch, hostname: '127.0.0.1', port: 0 }, () =>
    resolve(server),
  );
});
// The per-agent lookup limit stays on (counting is part of a lookup's cost), out of the load's reach.
const gateway = await startGateway(demoConfig({ rateLimits: { contextPerPrincipal: 1_000_000 } }), {
  port: 0,
  logger: silentLogger,
});
const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`;
console.log(JSON.stringify({ gateway: gateway.url, bare: bareUrl }));
process.once('SIGTERM', () => {
  void gateway.close().then(() => bareServer.close(() => process.exit(0)));
});
