import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame } from '@playwright/test';
import { EXTENSION_ID } from '../demo/chromium';
import { expect, ring, sidebarFrame, test } from './fixtures';

// The framed sidebar lives in a closed shadow root, where axe run on the CRM page cannot reach:
// axe-core runs inside the frame itself. Its source is evaluated over the DevTools protocol, which
// the extension page's script-src policy does not govern (a <script> tag would be refused).
// axe-core is the copy @axe-core/playwright itself runs.
const fromAxePlaywright = createRequire(
  createRequire(import.meta.url).resolve('@axe-core/playwright'),
);
const AXE_SOURCE = readFileSync(fromAxePlaywright.resolve('axe-core/axe.min.js'), 'utf8');

/** axe's violations in one frame, every rule on (landmarks and `region` included). */
async function violations(frame: Frame): Promise<string[]> {
  await frame.evaluate(AXE_SOURCE);
  return frame.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: Document): Promise<{ violations: { id: string; nodes: unknown[] }[] }>;
        };
      }
    ).axe;
    const results = await axe.run(document);
    return results.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
}

function extensionFrame(page: import('@playwright/test').Page): Frame {
  const frame = page
    .frames()
    .find((f) => f.url().startsWith(`chrome-extension://${EXTENSION_ID}/`));
  if (!frame) throw new Error('no sidebar frame in the page');
  return frame;
}

test('the sidebar in a CRM tab has no accessibility violations: open, with a caller, at wrap-up, collapsed', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByText('Waiting for a call.')).toBeVisible();
  const frame = extensionFrame(crm);
  // The resize edge is there (slotted into the sidebar's banner), and checked with the rest.
  await expect(sidebar.getByRole('separator', { name: 'Sidebar width' })).toBeVisible();
  expect(await violations(frame)).toEqual([]);

  const softphone = await extension.context.newPage();
  await ring(softphone, stack.demo.url, '+44 20 7946 0123');
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  expect(await violations(frame)).toEqual([]);

  await softphone.evaluate(() => window.softphone.answer());
  await softphone.evaluate(() => window.softphone.hangUp());
  await expect(sidebar.getByLabel('Disposition')).toBeVisible();
  expect(await violations(frame)).toEqual([]);

  await sidebar.getByRole('button', { name: 'Collapse the sidebar' }).click();
  await expect(sidebar.getByRole('button', { name: 'Open Caller Context' })).toBeVisible();
  expect(await violations(frame)).toEqual([]);
});

test("a page's own copy of the sidebar, which shows no caller, has no accessibility violations", async ({
  extension,
  stack,
}) => {
  const page = await extension.context.newPage();
  await page.goto(`${stack.demo.url}/softphone`);
  await page.evaluate((id) => {
    const frame = document.createElement('iframe');
    frame.title = 'Embedded';
    frame.src = `chrome-extension://${id}/sidebar.html#not-a-registered-secret`;
    document.body.append(frame);
  }, EXTENSION_ID);
  await expect.poll(() => page.frames().some((f) => f.url().includes('sidebar.html'))).toBe(true);
  const frame = extensionFrame(page);
  await expect(frame.getByText('was not opened by the extension')).toBeVisible();
  expect(await violations(frame)).toEqual([]);
});
