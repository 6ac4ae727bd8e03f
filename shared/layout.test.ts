import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Folders whose modules ship: the extension's entrypoints and what they import, the gateway. */
const PRODUCT = ['shared', 'background', 'widget', 'extension', 'gateway', 'demo'];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

const isTestSupport = (file: string) => file.split(path.sep).includes('test-support');
const isTest = (file: string) => /\.test(-d)?\.ts$/.test(file);

/** Relative module specifiers a file imports (static, side-effect and dynamic imports). */
function relativeImports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const found = text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g);
  return [...found].map((match) => path.join(path.dirname(file), match[1] ?? ''));
}

// docs/architecture.md, "The parts and where they run": test-only helpers live in test-support/
// folders, so the extension's and the gateway's bundles (which follow imports from their entry
// points) can only include them if a product module imports one.
describe('test helpers', () => {
  it('are imported by tests, benchmarks and other helpers only, never by product code', () => {
    const product = PRODUCT.flatMap(sourceFiles).filter((f) => !isTest(f) && !isTestSupport(f));
    expect(product.length).toBeGreaterThan(100);
    const offenders = product.flatMap((file) =>
      relativeImports(file)
        .filter(isTestSupport)
        .map((target) => `${file} imports ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('are not test files themselves: vitest collects only *.test.ts', () => {
    const helpers = [...PRODUCT, 'test-support'].flatMap(sourceFiles).filter(isTestSupport);
    expect(helpers.length).toBeGreaterThan(0);
    expect(helpers.filter(isTest)).toEqual([]);
  });
});
