import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import JSZip from 'jszip';
import { EXTENSION_ID, launchWithExtension } from '../demo/chromium';
import { expect, sidebarFrame, test } from './fixtures';

const CHROME_ZIP = resolve(import.meta.dirname, '..', '.output', 'caller-context-0.1.0-chrome.zip');

async function unzip(file: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'caller-context-zip-'));
  const zip = await JSZip.loadAsync(await readFile(file));
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    const target = join(dir, entry.name);
    if (!target.startsWith(dir)) throw new Error(`unsafe path in zip: ${entry.name}`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, await entry.async('nodebuffer'));
  }
  return dir;
}

test('the Chrome store zip, unpacked, loads with the fixed ID and pops a caller', async ({
  stack,
}) => {
  const dir = await unzip(CHROME_ZIP);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    permissions?: string[];
    host_permissions?: string[];
  };
  // The least it needs: no host permissions (the gateway answers CORS), no <all_urls>.
  expect(manifest.host_permissions ?? []).toEqual([]);
  expect(JSON.stringify(manifest)).not.toContain('<all_urls>');

  const browser = await launchWithExtension({ extensionDir: dir });
  try {
    const worker = await browser.serviceWorker();
    expect(worker.url()).toContain(EXTENSION_ID);
    await browser.setAgentSettings({ gatewayUrl: stack.gateway.url });
    const crm = await browser.context.newPage();
    await crm.goto(`${stack.demo.url}/crm`);
    const sidebar = await sidebarFrame(crm);
    const softphone = await browser.context.newPage();
    await softphone.goto(`${stack.demo.url}/softphone`);
    await softphone.evaluate(() => window.softphone.ring('+44 20 7946 0123'));
    await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  } finally {
    await browser.close();
  }
});
