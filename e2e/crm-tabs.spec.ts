import type { ElementHandle, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { CrmPage } from './pages/crm.page';

/**
 * The content script mounts its UI in a closed shadow root, out of reach of locators: these
 * reach it from the sidebar's frame element, as the browser's own hit testing does for clicks.
 */
async function mounted(page: Page) {
  const crm = new CrmPage(page, page.url());
  const frame = await crm.sidebar();
  const frameElement = (await frame.frameElement()) as ElementHandle<HTMLIFrameElement>;
  const button = (await frameElement.evaluateHandle((el) =>
    (el.getRootNode() as ShadowRoot).querySelector('button[data-caller-context="elsewhere"]'),
  )) as ElementHandle<HTMLButtonElement>;
  return {
    sidebarVisible: () => frameElement.isVisible(),
    elsewhereVisible: () => button.isVisible(),
    elsewhereText: () => button.textContent(),
    showHere: () => button.click(),
  };
}

test('the sidebar shows in the CRM tab the agent used last; the other CRM tab offers to bring it back', async ({
  extension,
  stack,
}) => {
  const first = await extension.context.newPage();
  await new CrmPage(first, stack.demo.url).goto('/crm');
  const inFirst = await mounted(first);
  await expect.poll(inFirst.sidebarVisible).toBe(true);
  await expect.poll(inFirst.elsewhereVisible).toBe(false);

  // A second CRM tab opened in front of the agent takes the sidebar.
  const second = await extension.context.newPage();
  await new CrmPage(second, stack.demo.url).goto('/crm#/contacts');
  const inSecond = await mounted(second);
  await expect.poll(inSecond.sidebarVisible).toBe(true);
  await expect.poll(inFirst.sidebarVisible).toBe(false);
  await expect.poll(inFirst.elsewhereVisible).toBe(true);
  expect(await inFirst.elsewhereText()).toContain('shown in another tab');

  // Switching back to the first tab moves it there; switching again moves it back.
  await first.bringToFront();
  await expect.poll(inFirst.sidebarVisible).toBe(true);
  await expect.poll(inSecond.sidebarVisible).toBe(false);
  await expect.poll(inSecond.elsewhereVisible).toBe(true);
  await second.bringToFront();
  await expect.poll(inSecond.sidebarVisible).toBe(true);
  await expect.poll(inFirst.sidebarVisible).toBe(false);

  // "Show here" (a click, or Enter on the focused button) brings it to the first tab.
  await inFirst.showHere();
  await expect.poll(inFirst.sidebarVisible).toBe(true);
  await expect.poll(inSecond.sidebarVisible).toBe(false);

  // Closing the tab that shows it gives it back to the CRM tab used before.
  await first.close();
  await expect.poll(inSecond.sidebarVisible).toBe(true);
  await expect.poll(inSecond.elsewhereVisible).toBe(false);
});
