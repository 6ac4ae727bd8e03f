import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Detector } from './detector';
import { detectors } from './registry';

const here = dirname(fileURLToPath(import.meta.url));
/** Files in this folder that are not detectors. */
const NOT_DETECTORS = new Set([
  'detector.ts',
  'registry.ts',
  'watch.ts',
  'read.ts',
  'rules.ts',
  'page-detectors.ts',
  'send.ts',
]);

const detectorFiles = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'))
  .filter((name) => !NOT_DETECTORS.has(name))
  .sort();

function isDetector(value: unknown): value is Detector {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' && typeof v.applies === 'function' && typeof v.read === 'function'
  );
}

/** The detectors each detector file exports, by file name. */
async function exportsByFile(): Promise<Map<string, Detector[]>> {
  const found = new Map<string, Detector[]>();
  for (const file of detectorFiles) {
    const module: Record<string, unknown> = await import(pathToFileURL(join(here, file)).href);
    found.set(file, Object.values(module).filter(isDetector));
  }
  return found;
}

describe('detector registry', () => {
  it('has at least the demo softphone', () => {
    expect(detectorFiles).toContain('demo-softphone.ts');
    expect(detectors.map((d) => d.id)).toContain('demo-softphone');
  });

  it('registers every detector file in this folder', async () => {
    for (const [file, exported] of await exportsByFile()) {
      expect(exported, `${file} exports no detector`).not.toEqual([]);
      for (const detector of exported)
        expect(detectors, `${file}: ${detector.id} is not in registry.ts`).toContain(detector);
    }
  });

  it('registers only detectors that have a file of their own here', async () => {
    const exported = [...(await exportsByFile()).values()].flat();
    for (const detector of detectors)
      expect(exported, `${detector.id} does not come from a file in this folder`).toContain(
        detector,
      );
    expect(detectors).toHaveLength(detectorFiles.length);
  });

  it('has unique ids that parseSighting accepts', () => {
    const ids = detectors.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9:_.-]{1,64}$/i);
  });

  it('has a fixture page and a test reading it for every detector', async () => {
    for (const [file, exported] of await exportsByFile()) {
      // Its own test, or a row of the announced-call detectors' table.
      const test = file.replace(/\.ts$/, '.test.ts');
      const testSource = [test, 'announced-detectors.test.ts']
        .filter((name) => existsSync(join(here, name)))
        .map((name) => readFileSync(join(here, name), 'utf8'))
        .join('\n');
      for (const detector of exported) {
        const fixture = join(here, 'fixtures', `${detector.id}.html`);
        expect(existsSync(fixture), `fixtures/${detector.id}.html is missing`).toBe(true);
        expect(testSource, `no test reads fixtures/${detector.id}.html`).toContain(
          `'${detector.id}.html'`,
        );
      }
    }
  });
});
