import type { Page } from '@playwright/test';
import { EXTENSION_ID, type ExtensionBrowser, launchWithExtension } from '../demo/chromium';
import { expect, sidebarFrame, test } from './fixtures';
import { createPolicyEnvironment, type PolicyEnvironment } from './support/policy';

const OPTIONS_URL = `chrome-extension://${EXTENSION_ID}/options.html`;
const RULE = { matches: ['https://phone.example.com/*'], selector: '.incoming .number' };

let policy: PolicyEnvironment;
let browser: ExtensionBrowser | undefined;

test.beforeEach(async () => {
  policy = await createPolicyEnvironment();
});

test.afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await policy.dispose();
});

async function ringJane(page: Page, demoUrl: string): Promise<void> {
  await page.goto(`${demoUrl}/softphone`);
  await page.evaluate(() => window.softphone.ring('+44 20 7946 0123'));
}

test('a policy file sets the gateway and a detection rule: in force, and locked in the options page', async ({
  stack,
}) => {
  await policy.setExtensionPolicy({ gatewayUrl: stack.gateway.url, detectionRules: [RULE] });
  browser = await launchWithExtension({ executablePath: policy.executablePath });
  // The agent's own setting points nowhere; the policy must win over it.
  await browser.setAgentSettings({ gatewayUrl: 'http://127.0.0.1:9' });

  const options = await browser.context.newPage();
  await options.goto(OPTIONS_URL);
  const url = options.getByLabel('Gateway URL');
  await expect(url).toHaveValue(stack.gateway.url);
  await expect(url).toBeDisabled();
  const rules = options.getByLabel('Detection rules');
  await expect(rules).toBeDisabled();
  await expect(rules).toHaveValue(/phone\.example\.com/);
  await expect(options.getByText('Set by your administrator')).toHaveCount(2);

  const crm = await browser.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ringJane(await browser.context.newPage(), stack.demo.url);
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
});

test('a policy changed while the browser runs is applied without a reload', async ({ stack }) => {
  await policy.setExtensionPolicy({ gatewayUrl: 'http://127.0.0.1:9', defaultRegion: 'US' });
  browser = await launchWithExtension({ executablePath: policy.executablePath });
  const options = await browser.context.newPage();
  await options.goto(OPTIONS_URL);
  await expect(options.getByLabel('Gateway URL')).toHaveValue('http://127.0.0.1:9');
  await expect(options.getByLabel('Default region')).toHaveValue('US');

  await policy.setExtensionPolicy({ gatewayUrl: stack.gateway.url, defaultRegion: 'GB' });
  // Chromium's policy watcher picks the file up after a few seconds; the page follows live.
  await expect(options.getByLabel('Gateway URL')).toHaveValue(stack.gateway.url, {
    timeout: 45_000,
  });
  await expect(options.getByLabel('Default region')).toHaveValue('GB');

  // A national number is read in the new policy's region, and looked up at its gateway.
  const crm = await browser.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  const softphone = await browser.context.newPage();
  await softphone.goto(`${stack.demo.url}/softphone`);
  await softphone.evaluate(() => window.softphone.ring('020 7946 0123'));
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
});
