import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

/**
 * Runs `npm run lookup`'s script as an admin would, through tsx, with `env` added to the
 * environment, and returns its exit code and output.
 */
export async function runLookup(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'gateway/lookup.ts', ...args], {
      cwd: repo,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Writes a gateway config to a new temporary folder and returns the file's path. */
export function writeTempConfig(config: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lookup-'));
  const file = path.join(dir, 'gateway.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}
