import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CallerContext } from '../shared/model';

const repo = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/** Runs the CLI as an admin would, through tsx, and returns its exit code and output. */
async function lookup(...args: string[]) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'gateway/lookup.ts', ...args], {
      cwd: repo,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('lookup CLI', { timeout: 30_000 }, () => {
  it('prints the CallerContext for a known identity', async () => {
    const { code, stdout } = await lookup(
      '--config',
      'demo/gateway.config.json',
      'phone:+442079460123',
    );
    expect(code).toBe(0);
    const context = JSON.parse(stdout) as CallerContext;
    expect(context.matches[0]?.profile.displayName).toBe('Jane Doe');
    expect(context.errors).toEqual([]);
  });

  it('exits 1 with a message for a malformed identity', async () => {
    const { code, stdout, stderr } = await lookup('phone:12');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('bad identity "phone:12": phone identity must be E.164');
  });

  it('exits 1 naming the bad config key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lookup-'));
    const file = path.join(dir, 'gateway.json');
    writeFileSync(
      file,
      JSON.stringify({ auth: { tokens: ['t'] }, sources: [{ id: 'x', type: 'aepx' }] }),
    );
    const { code, stderr } = await lookup('--config', file, 'phone:+442079460123');
    expect(code).toBe(1);
    expect(stderr).toContain('sources[0].type: unknown source type "aepx"');
  });
});
