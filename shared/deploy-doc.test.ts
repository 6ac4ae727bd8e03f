import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config';

const DEPLOY_DOC = fileURLToPath(new URL('../docs/deploy.md', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../extension/public/managed-schema.json', import.meta.url));

/** The JSON block that follows "A complete example of the settings" in docs/deploy.md. */
function documentedSettings(): Record<string, unknown> {
  const doc = readFileSync(DEPLOY_DOC, 'utf8');
  const after = doc.slice(doc.indexOf('A complete example of the settings'));
  const block = /```json\n([\s\S]*?)\n```/.exec(after)?.[1];
  if (!block) throw new Error('docs/deploy.md has no settings example');
  return JSON.parse(block) as Record<string, unknown>;
}

describe('the settings example admins copy from docs/deploy.md', () => {
  it('is applied as written by the extension, every key from the policy', () => {
    const settings = documentedSettings();
    const { problems, origins } = resolveConfig({ policy: settings });
    expect(problems).toEqual([]);
    for (const key of Object.keys(settings)) expect(origins).toHaveProperty(key, 'policy');
  });

  it('names only keys the policy schema declares, and most of them', () => {
    const schema = JSON.parse(readFileSync(SCHEMA, 'utf8')) as { properties: object };
    const declared = Object.keys(schema.properties);
    const documented = Object.keys(documentedSettings());
    expect(documented.filter((key) => !declared.includes(key))).toEqual([]);
    // gatewayToken (development only) and dynamicsDirect (described beside it) are left out.
    expect(declared.filter((key) => !documented.includes(key)).sort()).toEqual([
      'dynamicsDirect',
      'gatewayToken',
    ]);
  });
});
