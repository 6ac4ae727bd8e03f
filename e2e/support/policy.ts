import { chmod, copyFile, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTENSION_ID, findChromium } from '../../demo/chromium';

/** Chromium on Linux reads machine policy from here (and nowhere a test could point it to). */
const CHROMIUM_ETC = '/etc/chromium';

export interface PolicyEnvironment {
  /** A Chromium that sees this environment's policy files instead of the machine's. */
  executablePath: string;
  /** Writes the extension's policy (`3rdparty.extensions.<id>`) as a real policy file. */
  setExtensionPolicy(policy: Record<string, unknown>): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Real Chromium policy files without touching the machine's: a wrapper starts Chromium in a
 * private mount namespace where a temporary folder is bind-mounted over /etc/chromium, so tests
 * running side by side (and the machine's own browsers) never see each other's policy. Needs
 * `unshare` (util-linux) and user namespaces, or root.
 */
export async function createPolicyEnvironment(): Promise<PolicyEnvironment> {
  const root = await mkdtemp(join(tmpdir(), 'caller-context-policy-'));
  const etc = join(root, 'etc-chromium');
  const managed = join(etc, 'policies', 'managed');
  await mkdir(managed, { recursive: true });
  // Keep what the package ships there (initial preferences), so only the policy differs.
  for (const name of await readdir(CHROMIUM_ETC).catch(() => [] as string[]))
    if (name !== 'policies')
      await copyFile(join(CHROMIUM_ETC, name), join(etc, name)).catch(() => {});
  const wrapper = join(root, 'chromium-with-policy');
  const script = [
    '#!/bin/sh',
    '# Starts Chromium with its own /etc/chromium (private mount namespace, see policy.ts).',
    `exec unshare --map-root-user --mount sh -c 'mount --bind "$1" ${CHROMIUM_ETC} || exit 97; shift; exec "$@"' sh "${etc}" "${findChromium()}" "$@"`,
    '',
  ].join('\n');
  await writeFile(wrapper, script);
  await chmod(wrapper, 0o755);
  return {
    executablePath: wrapper,
    async setExtensionPolicy(policy) {
      const file = { '3rdparty': { extensions: { [EXTENSION_ID]: policy } } };
      // Written whole then renamed, so Chromium's file watcher never reads half a file.
      const temp = join(root, 'policy.json.tmp');
      await writeFile(temp, JSON.stringify(file, null, 2));
      await rename(temp, join(managed, 'caller-context.json'));
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}
