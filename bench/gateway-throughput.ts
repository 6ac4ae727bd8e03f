import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { AGENT } from '../gateway/test-support/fixtures';
import { type LoadOptions, type LoadResult, runLoad } from './load';

const LOAD_TARGETS = fileURLToPath(new URL('./load-targets.ts', import.meta.url));

export interface GatewayThroughput {
  /** GET /v1/context with the demo source: auth, CORS, logging, the source, JSON. */
  gateway: LoadResult;
  /** A bare Hono route answering a constant on the same server stack: this machine's ceiling. */
  bareHono: LoadResult;
  /** gateway lookups per second as a share of the bare route's. */
  ratio: number;
}

/** Lookups per second and p99 of the gateway, beside a constant route, in the same run. */
export async function measureGatewayThroughput(
  load: Partial<LoadOptions> = {},
): Promise<GatewayThroughput> {
  const targets = spawn(process.execPath, ['--import', 'tsx', LOAD_TARGETS], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: targets.stdout }), 'line')) as [string];
    const urls = JSON.parse(line) as { gateway: string; bare: string };
    const bareHono = await runLoad({ ...load, url: `${urls.bare}/` });
    const gateway = await runLoad({
      ...load,
      url: `${urls.gateway}/v1/context?identity=${encodeURIComponent('phone:+442079460123')}`,
      headers: AGENT,
    });
    return {
      gateway,
      bareHono,
      ratio: Math.round((gateway.perSecond / bareHono.perSecond) * 100) / 100,
    };
  } finally {
    targets.kill('SIGTERM');
    await once(targets, 'exit');
  }
}
