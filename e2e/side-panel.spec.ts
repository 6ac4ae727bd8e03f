import { EXTENSION_ID } from '../demo/chromium';
import { expect, test } from './fixtures';
import { CrmPage } from './pages/crm.page';
import { SoftphonePage } from './pages/softphone.page';

const SIDEBAR_URL = `chrome-extension://${EXTENSION_ID}/sidebar.html`;

test('side panel preferred: the CRM tab has no sidebar iframe, its button opens the panel', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ sidebarPlacement: 'sidePanel' });
  const page = await extension.context.newPage();
  const crm = new CrmPage(page, stack.demo.url);
  await crm.goto('/crm');
  // The button lives in a closed shadow root; its host (sized to it) is what a click lands on.
  const button = page.locator('caller-context-sidebar');
  await expect(button).toBeVisible();
  await expect(page.locator('iframe')).toHaveCount(0);
  expect(page.frames().some((f) => f.url().includes('/sidebar.html'))).toBe(false);

  // A real click carries the gesture Chrome needs to open the panel.
  await button.click();
  const cdp = await extension.context.browser()?.newBrowserCDPSession();
  if (!cdp) throw new Error('no browser CDP session');
  await expect
    .poll(async () => {
      const { targetInfos } = await cdp.send('Target.getTargets');
      return targetInfos.some((t) => t.url.startsWith(SIDEBAR_URL));
    })
    .toBe(true);
});

test('the side panel page shows the call like the in-page sidebar', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ sidebarPlacement: 'sidePanel' });
  const softphone = new SoftphonePage(await extension.context.newPage(), stack.demo.url);
  await softphone.goto();
  // The side panel's page, opened in a tab: Playwright does not list the panel itself.
  const panel = await extension.context.newPage();
  await panel.goto(SIDEBAR_URL);
  await expect(panel.getByText('Waiting for a call.')).toBeVisible();
  await softphone.ringAs('Jane Doe');
  await expect(panel.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await softphone.answer();
  await expect(panel.getByRole('status').filter({ hasText: 'On call' })).toBeVisible();
});
