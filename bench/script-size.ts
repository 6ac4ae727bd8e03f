import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The JavaScript one page or content script loads, and what it weighs. */
export interface ScriptSize {
  /** Files relative to the extension's root, in load order, each counted once. */
  files: string[];
  /** Their bytes as shipped (minified). */
  rawBytes: number;
  /** The sum of each file gzipped alone (zlib's default level), as a store or a CDN would ship it. */
  gzipBytes: number;
}

export interface ExtensionScriptSizes {
  /** `sidebar.html` (the frame in the CRM tab and the side panel): entry scripts and static imports. */
  sidebar: ScriptSize;
  /** `options.html`, for reference. */
  options: ScriptSize;
  /** Every content script the manifest declares, by file (each page gets the ones that match it). */
  contentScripts: Record<string, ScriptSize>;
}

// `import{a as b}from"./x.js"`, `import"./x.js"`, `export{c}from"./x.js"`; not `import("./x.js")`,
// which loads only when the code asks for it, nor names like `importNode`.
const STATIC_IMPORT =
  /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"'\n]+\.js)["']/g;
const SCRIPT_SRC = /<script\b[^>]*\bsrc=["']([^"']+)["'][^>]*>/gi;
const MODULE_PRELOAD =
  /<link\b(?=[^>]*\brel=["']modulepreload["'])[^>]*\bhref=["']([^"']+)["'][^>]*>/gi;

/** Scripts a built extension page loads before it runs: its `<script src>`, their static imports. */
export async function pageScriptSize(extensionDir: string, htmlFile: string): Promise<ScriptSize> {
  const html = await readFile(join(extensionDir, htmlFile), 'utf8');
  const entries = [...html.matchAll(SCRIPT_SRC), ...html.matchAll(MODULE_PRELOAD)].map(
    (m) => m[1] as string,
  );
  const pageDir = posix.dirname(`/${htmlFile}`);
  return scriptSize(
    extensionDir,
    entries.map((src) => resolveFrom(pageDir, src)),
  );
}

/** Content scripts as the manifest lists them (bundled, so their imports are inside them). */
export async function contentScriptSizes(
  extensionDir: string,
): Promise<Record<string, ScriptSize>> {
  const manifest = JSON.parse(await readFile(join(extensionDir, 'manifest.json'), 'utf8')) as {
    content_scripts?: { js?: string[] }[];
  };
  const sizes: Record<string, ScriptSize> = {};
  for (const script of manifest.content_scripts ?? [])
    for (const file of script.js ?? [])
      sizes[file] ??= await scriptSize(extensionDir, [resolveFrom('/', file)]);
  return sizes;
}

export async function measureScriptSizes(extensionDir: string): Promise<ExtensionScriptSizes> {
  return {
    sidebar: await pageScriptSize(extensionDir, 'sidebar.html'),
    options: await pageScriptSize(extensionDir, 'options.html'),
    contentScripts: await contentScriptSizes(extensionDir),
  };
}

/** Walks entry files (absolute paths in the extension, `/chunks/x.js`) and their static imports. */
async function scriptSize(extensionDir: string, entries: string[]): Promise<ScriptSize> {
  const seen = new Set<string>();
  const queue = [...entries];
  let rawBytes = 0;
  let gzipBytes = 0;
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (seen.has(path)) continue;
    seen.add(path);
    const bytes = await readFile(join(extensionDir, path));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes).length;
    for (const m of bytes.toString('utf8').matchAll(STATIC_IMPORT)) {
      const specifier = m[1] as string;
      // Bare specifiers cannot occur in a built extension; only files of the extension count.
      if (/^\.{0,2}\//.test(specifier)) queue.push(resolveFrom(posix.dirname(path), specifier));
    }
  }
  const files = [...seen].map((p) => p.slice(1));
  return { files, rawBytes, gzipBytes };
}

function resolveFrom(fromDir: string, specifier: string): string {
  const path = specifier.split(/[?#]/)[0] as string;
  return posix.resolve(fromDir, path);
}

/** Bytes as the bench table shows them: KB with one decimal. */
export function kilobytes(bytes: number): number {
  return Math.round(bytes / 102.4) / 10;
}
