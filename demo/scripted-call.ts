import type { Frame } from '@playwright/test';
import { CrmPage } from '../e2e/pages/crm.page';
import { SoftphonePage } from '../e2e/pages/softphone.page';
import { StorefrontPage } from '../e2e/pages/storefront.page';
import type { ExtensionBrowser } from './chromium';

export interface ScriptedCall {
  crm: CrmPage;
  sidebar: Frame;
  softphone: SoftphonePage;
  storefront: StorefrontPage;
}

/** Opens the three demo tabs: the storefront, the softphone, and the CRM with the sidebar. */
export async function openDemoTabs(browser: ExtensionBrowser, demoUrl: string) {
  const storefront = new StorefrontPage(await browser.context.newPage(), demoUrl);
  await storefront.goto();
  const softphone = new SoftphonePage(await browser.context.newPage(), demoUrl);
  await softphone.goto();
  const crm = new CrmPage(await browser.context.newPage(), demoUrl);
  await crm.goto();
  const sidebar = await crm.sidebar();
  await crm.page.bringToFront();
  return { crm, sidebar, softphone, storefront };
}

/**
 * The demo's story: Jane Doe, whose new espresso machine arrived with a cracked drip tray,
 * looks at the replacement part, puts it in her cart, reads the returns policy, and calls.
 */
export async function playScriptedCall(tabs: ScriptedCall): Promise<void> {
  const { storefront, softphone } = tabs;
  await storefront.signInAs('Jane Doe');
  await storefront.openProduct('drip-tray');
  await storefront.addToCart();
  await storefront.openReturns();
  // Page view, product view, cart add, page view: all accepted by the gateway before she calls.
  await storefront.waitForSent(4);
  await softphone.ringAs('Jane Doe');
  await tabs.sidebar.getByRole('heading', { name: 'Jane Doe' }).waitFor();
  await softphone.answer();
}
