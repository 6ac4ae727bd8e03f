import AxeBuilder from '@axe-core/playwright';
import type { Frame } from '@playwright/test';
import { EXTENSION_ID } from '../demo/chromium';
import { expect, ring, sidebarFrame, test } from './fixtures';

/** The colour the agent sees behind the sidebar's text, as the sidebar page computes it. */
function sidebarBackground(sidebar: Frame): Promise<string> {
  return sidebar.evaluate(() => {
    const app = document.querySelector('cc-sidebar-app');
    const panel = app?.shadowRoot?.querySelector('cc-sidebar');
    return panel ? getComputedStyle(panel).backgroundColor : 'no sidebar';
  });
}

const LIGHT = 'rgb(255, 255, 255)';
const DARK = 'rgb(22, 25, 30)';

test('the sidebar follows the CRM into dark and back, whatever the system says', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.emulateMedia({ colorScheme: 'light' });
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect.poll(() => sidebarBackground(sidebar)).toBe(LIGHT);

  // The agent switches the CRM to its dark look.
  const darkMode = crm.getByRole('button', { name: 'Dark mode' });
  await darkMode.click();
  await expect(darkMode).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => sidebarBackground(sidebar)).toBe(DARK);

  await darkMode.click();
  await expect.poll(() => sidebarBackground(sidebar)).toBe(LIGHT);

  // The CRM remembers the agent's choice; the sidebar opens dark with it.
  await darkMode.click();
  await crm.reload();
  const reloaded = await sidebarFrame(crm);
  await expect.poll(() => sidebarBackground(reloaded)).toBe(DARK);
});

test('with a CRM that shows no preference the sidebar follows the system', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.emulateMedia({ colorScheme: 'dark' });
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  // Light CRM, dark system: the CRM wins.
  await expect.poll(() => sidebarBackground(sidebar)).toBe(LIGHT);
  // A page that paints nothing and declares `light dark` leaves it to the system.
  await crm.evaluate(() => {
    for (const element of document.querySelectorAll<HTMLElement>('html, body, body *')) {
      element.style.background = 'transparent';
    }
    document.documentElement.style.colorScheme = 'light dark';
  });
  await expect.poll(() => sidebarBackground(sidebar)).toBe(DARK);
});

test('the dark sidebar has no accessibility violations, contrast included (axe-core)', async ({
  extension,
  stack,
}) => {
  const page = await extension.context.newPage();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`chrome-extension://${EXTENSION_ID}/sidebar.html`);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(page.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Recent web activity' })).toBeVisible();
  expect(await sidebarBackground(page.mainFrame())).toBe(DARK);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
});
