import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentScriptSizes, pageScriptSize } from './script-size';

async function extensionWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'script-size-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const SHARED = 'export const shared=1;'.repeat(20);
const ENTRY = 'import{s as a}from"./shared-1.js";import"./side-2.js";const n=importNode;';
const SIDE = 'export{x}from"../chunks/leaf-3.js";const later=()=>import("./lazy-4.js");';
const LEAF = 'export const x=3;';

describe('script size of a built page', () => {
  it('counts the page scripts and their static imports once each, not dynamic imports', async () => {
    const dir = await extensionWith({
      'page.html':
        '<script type="module" crossorigin src="/chunks/page-0.js"></script>' +
        '<link rel="modulepreload" crossorigin href="/chunks/shared-1.js">',
      'chunks/page-0.js': ENTRY,
      'chunks/shared-1.js': SHARED,
      'chunks/side-2.js': SIDE,
      'chunks/leaf-3.js': LEAF,
      'chunks/lazy-4.js': 'export const lazy = "never loaded up front";',
    });
    const size = await pageScriptSize(dir, 'page.html');
    expect(size.files.sort()).toEqual([
      'chunks/leaf-3.js',
      'chunks/page-0.js',
      'chunks/shared-1.js',
      'chunks/side-2.js',
    ]);
    const texts = [ENTRY, SHARED, SIDE, LEAF];
    expect(size.rawBytes).toBe(texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0));
    expect(size.gzipBytes).toBe(texts.reduce((sum, t) => sum + gzipSync(t).length, 0));
  });

  it('reads the content scripts from the manifest', async () => {
    const dir = await extensionWith({
      'manifest.json': JSON.stringify({
        content_scripts: [
          { matches: ['<all_urls>'], js: ['content-scripts/a.js'] },
          { matches: ['https://x/*'], js: ['content-scripts/b.js', 'content-scripts/a.js'] },
        ],
      }),
      'content-scripts/a.js': 'console.log(1)',
      'content-scripts/b.js': 'console.log(22)',
    });
    const sizes = await contentScriptSizes(dir);
    expect(Object.keys(sizes)).toEqual(['content-scripts/a.js', 'content-scripts/b.js']);
    expect(sizes['content-scripts/b.js']?.rawBytes).toBe(15);
  });
});
