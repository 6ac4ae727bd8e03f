import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { connectorTypeNames } from '../../shared/connectors/registry';
import { sourceTypeNames } from './registry';

/** Files in this folder that are not a source type. */
const SUPPORT = new Set(['registry.ts', 'source.ts']);

describe('source registry', () => {
  const files = readdirSync(new URL('.', import.meta.url));

  it('registers every source file and every platform connector, and nothing else', () => {
    const sourceFiles = files
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !SUPPORT.has(file))
      // A type's helpers live beside it as `<type>-<part>.ts`.
      .filter((file) => !file.includes('-'))
      .map((file) => file.replace(/\.ts$/, ''));
    expect(sourceTypeNames().sort()).toEqual([...sourceFiles, ...connectorTypeNames()].sort());
  });

  it('has a test for every gateway source type (connectors have theirs beside them)', () => {
    const own = sourceTypeNames().filter((type) => !connectorTypeNames().includes(type));
    for (const type of own) expect(files).toContain(`${type}.test.ts`);
    expect(files).toContain('connector-source.test.ts');
  });
});
