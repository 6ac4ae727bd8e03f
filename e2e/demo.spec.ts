import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures';

const ROOT = resolve(import.meta.dirname, '..');

/** Runs `npm run demo -- <args>` as a newcomer would, on the extension this run already built. */
function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'demo', 'launch.ts'), ...args, '--no-build'],
      { cwd: ROOT, env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' } },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += String(chunk);
    });
    child.on('close', (code) => done({ code, output }));
  });
}

test('the headless demo plays the scripted call, sees Jane Doe and her shop activity, and saves a picture', async () => {
  test.setTimeout(120_000);
  const dir = await mkdtemp(join(tmpdir(), 'caller-context-demo-'));
  try {
    const picture = join(dir, 'demo.png');
    const { code, output } = await runDemo(['--headless', '--screenshot', picture]);
    expect(output).toContain('The sidebar showed Jane Doe and her shop activity.');
    expect(code).toBe(0);
    const png = await readFile(picture);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
