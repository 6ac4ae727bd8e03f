import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { loadGatewayConfig } from '../gateway/config';
import { silentLogger } from '../gateway/request-log';
import { type RunningGateway, startGateway } from '../gateway/server';
import { DEMO_SITE_IDENTITY_SECRET, type DemoServer, startDemoServer } from './server';

export const DEMO_GATEWAY_CONFIG = resolve(import.meta.dirname, 'gateway.config.json');
export const DEMO_AGENT_TOKEN = 'demo-token';
/** A server-side collect key (a site's backend, a webhook): may post web events for anyone. */
export const DEMO_COLLECT_TOKEN = 'demo-collect-key';
/** The shop's public site key: its pages post only with an identity token the shop signed. */
export const DEMO_SITE_KEY = 'demo-site-key';

export interface DemoStack {
  gateway: RunningGateway;
  demo: DemoServer;
  close(): Promise<void>;
}

export interface DemoStackOptions {
  /** 0 (any free port) for tests and benchmarks; the demo uses the config's 8787 and 8788. */
  gatewayPort?: number;
  demoPort?: number;
  /** Silences the gateway's request log. */
  quiet?: boolean;
}

/** The gateway with the demo source and the demo pages, wired to each other (CORS, URLs). */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const config = await loadGatewayConfig(DEMO_GATEWAY_CONFIG);
  // The storefront's origin must be known to the gateway's CORS before either starts.
  const demoPort = options.demoPort || (await freePort());
  const demoOrigins = [`http://127.0.0.1:${demoPort}`, `http://localhost:${demoPort}`];
  config.cors.origins = [...new Set([...config.cors.origins, ...demoOrigins])];
  // The gateway checks the shop's identity tokens with the secret the shop signs them with.
  const identitySecret = process.env.DEMO_SITE_IDENTITY_SECRET ?? DEMO_SITE_IDENTITY_SECRET;
  const gateway = await startGateway(config, {
    env: { ...process.env, DEMO_SITE_IDENTITY_SECRET: identitySecret },
    ...(options.gatewayPort !== undefined ? { port: options.gatewayPort } : {}),
    ...(options.quiet ? { logger: silentLogger } : {}),
  });
  try {
    const demo = await startDemoServer({
      port: demoPort,
      gatewayUrl: gateway.url,
      collectToken: DEMO_SITE_KEY,
      identitySecret,
    });
    return {
      gateway,
      demo,
      async close() {
        await Promise.all([demo.close(), gateway.close()]);
      },
    };
  } catch (error) {
    await gateway.close();
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
