import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Worker } from '@playwright/test';

/**
 * The built Chrome extension. `WXT_OUT_DIR` (also read by wxt.config.ts) lets a second build live
 * beside the default one, so that one checkout can run two builds' tests at once.
 */
export const EXTENSION_DIR = resolve(
  import.meta.dirname,
  '..',
  process.env.WXT_OUT_DIR ?? '.output',
  'chrome-mv3',
);
/** The enterprise package (`npm run build:enterprise`): host access declared for every site. */
export const ENTERPRISE_EXTENSION_DIR = resolve(
  import.meta.dirname,
  '..',
  process.env.WXT_OUT_DIR ?? '.output',
  'chrome-mv3-enterprise',
);
/** The fixed extension ID (manifest `key` in wxt.config.ts). */
export const EXTENSION_ID = 'ejofaebpacpnnbhlaeinehnbbkflmjln';

/**
 * The Chromium to drive: `CHROMIUM_PATH`, then Debian's `/usr/bin/chromium`, then Playwright's
 * own browser if one was installed. Throws with install instructions when there is none.
 */
export function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    const bundled = chromium.executablePath();
    if (existsSync(bundled)) return bundled;
  } catch {
    // Playwright has no browser of its own here; fall through to the message.
  }
  throw new Error(
    'No Chromium found. Install one (Debian/Ubuntu: sudo apt-get install -y chromium) ' +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}

export interface LaunchOptions {
  headless?: boolean;
  /** Reuse a profile (restart tests); a fresh temporary one otherwise. */
  userDataDir?: string;
  extensionDir?: string;
  /** A Chromium (or a wrapper around one) other than `findChromium()`'s. */
  executablePath?: string;
  viewport?: { width: number; height: number } | null;
  /** The browser's language (`navigator.languages`), e.g. `it-IT`; the system's by default. */
  locale?: string;
  /** More Chromium switches (tests map vendor hostnames to loopback with these). */
  extraArgs?: string[];
}

export interface ExtensionBrowser {
  context: BrowserContext;
  userDataDir: string;
  /** The extension's service worker, waking it if it is stopped. */
  serviceWorker(): Promise<Worker>;
  /**
   * Sets the agent's own settings (what the options page saves), replacing earlier ones; used to
   * point the extension at a gateway on a free port.
   */
  setAgentSettings(settings: Record<string, unknown>): Promise<void>;
  /**
   * Stops the service worker as Chrome does after 30 s idle (Playwright keeps it alive). The next
   * extension event starts it again; Playwright's Worker handle then reaches the new instance.
   */
  stopServiceWorker(): Promise<void>;
  close(): Promise<void>;
}

/** Starts Chromium with the built extension loaded, as an agent's browser would have it. */
export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  if (!existsSync(join(extensionDir, 'manifest.json')))
    throw new Error(`The extension is not built in ${extensionDir}: run npm run build first.`);
  const userDataDir =
    options.userDataDir ?? (await mkdtemp(join(tmpdir(), 'caller-context-profile-')));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: options.executablePath ?? findChromium(),
    headless: options.headless ?? true,
    viewport: options.viewport === undefined ? { width: 1400, height: 900 } : options.viewport,
    ...(options.locale ? { locale: options.locale } : {}),
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      // Without these Chromium floods a closed network with refused connections.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...(options.extraArgs ?? []),
    ],
  });

  const serviceWorker = async (): Promise<Worker> => {
    const running = context.serviceWorkers().find((w) => w.url().includes(EXTENSION_ID));
    if (running) return running;
    return context.waitForEvent('serviceworker', {
      predicate: (w) => w.url().includes(EXTENSION_ID),
    });
  };

  const stopServiceWorker = async (): Promise<void> => {
    const browser = context.browser();
    if (!browser) throw new Error('No browser session to stop the service worker from.');
    const cdp = await browser.newBrowserCDPSession();
    try {
      const { targetInfos } = (await cdp.send('Target.getTargets')) as {
        targetInfos: { targetId: string; type: string; url: string }[];
      };
      for (const t of targetInfos)
        if (t.type === 'service_worker' && t.url.includes(EXTENSION_ID))
          await cdp.send('Target.closeTarget', { targetId: t.targetId });
    } finally {
      await cdp.detach();
    }
  };

  const setAgentSettings = async (settings: Record<string, unknown>): Promise<void> => {
    const worker = await serviceWorker();
    await worker.evaluate((s) => chrome.storage.local.set({ settings: s }), settings);
  };

  await serviceWorker();
  return {
    context,
    userDataDir,
    serviceWorker,
    setAgentSettings,
    stopServiceWorker,
    close: () => context.close(),
  };
}
