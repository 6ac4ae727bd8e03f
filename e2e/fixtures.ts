import { test as base, type Page } from '@playwright/test';
import { type ExtensionBrowser, launchWithExtension } from '../demo/chromium';
import { type DemoStack, startDemoStack } from '../demo/stack';
import type { ExtensionConfig } from '../shared/config';

export interface Fixtures {
  /** Chromium with the built extension, a fresh profile per test. */
  extension: ExtensionBrowser;
  /** Points the extension at this worker's gateway (the agent's settings layer). */
  configure(settings: Partial<ExtensionConfig>): Promise<void>;
}

export interface WorkerFixtures {
  /** The gateway (demo source) and the demo pages on free loopback ports. */
  stack: DemoStack;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  stack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature needs it.
    async ({}, use) => {
      const stack = await startDemoStack({ gatewayPort: 0, demoPort: 0, quiet: true });
      await use(stack);
      await stack.close();
    },
    { scope: 'worker' },
  ],
  extension: async ({ stack }, use) => {
    const browser = await launchWithExtension();
    await browser.setAgentSettings({ gatewayUrl: stack.gateway.url });
    await use(browser);
    await browser.close();
  },
  configure: async ({ extension: browser, stack }, use) => {
    await use((settings) =>
      browser.setAgentSettings({ gatewayUrl: stack.gateway.url, ...settings }),
    );
  },
});

export const expect = test.expect;

export { sidebarFrame } from './pages/crm.page';

/** Opens the demo softphone in `page` and rings it with `number`, typed as a caller would show. */
export async function ring(page: Page, demoUrl: string, number: string): Promise<void> {
  await page.goto(`${demoUrl}/softphone`);
  await page.evaluate((n) => window.softphone.ring(n), number);
}
