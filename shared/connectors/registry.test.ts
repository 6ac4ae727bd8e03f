import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectorTypeNames } from './registry';

/** Files in this folder that are not a platform connector. */
const SUPPORT = new Set([
  'connector.ts',
  'http.ts',
  'oauth.ts',
  'jwt-bearer.ts',
  'registry.ts',
  'logged-call.ts',
]);

describe('connector registry', () => {
  const files = readdirSync(new URL('.', import.meta.url));
  const fixtures = readdirSync(new URL('./fixtures', import.meta.url));

  it('registers every connector file under its file name, and nothing else', () => {
    const connectorFiles = files
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !SUPPORT.has(file))
      .map((file) => file.replace(/\.ts$/, ''));
    expect(connectorTypeNames().sort()).toEqual(connectorFiles.sort());
  });

  it('has a contract test and documented fixtures for every connector', () => {
    for (const type of connectorTypeNames()) {
      expect(files).toContain(`${type}.test.ts`);
      expect(fixtures.some((file) => file.startsWith(`${type}-`))).toBe(true);
    }
  });

  it('replays every connector at its documented endpoints on a loopback server', () => {
    for (const type of connectorTypeNames()) {
      const test = readFileSync(new URL(`./${type}.test.ts`, import.meta.url), 'utf8');
      expect(test, type).toContain('startVendorReplay(');
      expect(test, type).toContain('undocumented).toEqual([])');
    }
  });

  it('names the source of every fixture', () => {
    for (const file of fixtures.filter((f) => f.endsWith('.json'))) {
      const parsed = JSON.parse(
        readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8'),
      );
      expect(typeof parsed.$source, file).toBe('string');
      expect(parsed.$source.length, file).toBeGreaterThan(40);
    }
  });
});
