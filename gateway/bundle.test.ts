import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleGateway } from './bundle';

const SEED = resolve(import.meta.dirname, '..', 'demo', 'seed', 'customers.json');

describe('the bundled gateway', () => {
  it('runs from its bundle alone with node and answers a lookup', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gateway-bundle-'));
    await bundleGateway(dir);
    const config = join(dir, 'gateway.config.json');
    await writeFile(
      config,
      JSON.stringify({
        listen: { host: '127.0.0.1', port: 0 },
        auth: { tokens: ['bundle-test-token'] },
        sources: [{ id: 'demo', type: 'demo', seedFile: SEED }],
      }),
    );
    // Run from the bundle's folder, so nothing can come from this repository's node_modules.
    const child = spawn(process.execPath, [join(dir, 'main.mjs'), '--config', config], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = /listening on (http:\/\/[^\s"]+)/.exec(out);
          if (found?.[1]) done(found[1]);
        });
        child.stderr.on('data', (chunk: Buffer) => fail(new Error(chunk.toString())));
        child.on('exit', (code) => fail(new Error(`the gateway exited with ${code}`)));
      });
      const response = await fetch(`${url}/v1/context?identity=phone:%2B442079460123`, {
        headers: { authorization: 'Bearer bundle-test-token' },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { matches: { profile: { displayName: string } }[] };
      expect(body.matches[0]?.profile.displayName).toBe('Jane Doe');
    } finally {
      child.kill();
    }
  }, 30_000);
});
