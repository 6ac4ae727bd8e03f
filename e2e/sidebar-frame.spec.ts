import type { Page } from '@playwright/test';
import { expect, sidebarFrame, test } from './fixtures';

/** The width the sidebar takes in the CRM page, and the room the page keeps for itself. */
async function frameBox(crm: Page): Promise<{ width: number; pageMargin: number }> {
  return crm.evaluate(() => {
    const host = document.querySelector('caller-context-sidebar');
    return {
      width: host ? host.getBoundingClientRect().width : 0,
      pageMargin: Number.parseFloat(getComputedStyle(document.documentElement).marginRight),
    };
  });
}

test('the sidebar collapses to a slim tab, stays collapsed after a reload, and opens again', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  let sidebar = await sidebarFrame(crm);
  const collapse = sidebar.getByRole('button', { name: 'Collapse the sidebar' });
  await expect(collapse).toBeVisible();
  expect(await frameBox(crm)).toEqual({ width: 360, pageMargin: 360 });

  await collapse.click();
  await expect(sidebar.getByRole('button', { name: 'Open Caller Context' })).toBeVisible();
  await expect.poll(() => frameBox(crm)).toEqual({ width: 44, pageMargin: 44 });

  await crm.reload();
  sidebar = await sidebarFrame(crm);
  const open = sidebar.getByRole('button', { name: 'Open Caller Context' });
  await expect(open).toBeVisible();
  expect((await frameBox(crm)).width).toBe(44);

  await open.click();
  await expect(sidebar.getByRole('button', { name: 'Collapse the sidebar' })).toBeVisible();
  await expect.poll(() => frameBox(crm)).toEqual({ width: 360, pageMargin: 360 });
});

test('the agent resizes the sidebar from the keyboard and by dragging; the width is kept', async ({
  extension,
  stack,
}) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  let sidebar = await sidebarFrame(crm);
  const handle = sidebar.getByRole('separator', { name: 'Sidebar width' });
  await handle.focus();
  await crm.keyboard.press('ArrowLeft');
  await crm.keyboard.press('ArrowLeft');
  await crm.keyboard.press('Shift+ArrowLeft');
  // 360 + 16 + 16 + 64
  await expect(handle).toHaveAttribute('aria-valuenow', '456');
  await expect.poll(() => frameBox(crm)).toEqual({ width: 456, pageMargin: 456 });

  // Dragging the left edge 100 px to the right makes it 100 px narrower.
  const box = await handle.boundingBox();
  if (!box) throw new Error('the resize handle has no box');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await crm.mouse.move(x, y);
  await crm.mouse.down();
  await crm.mouse.move(x + 50, y, { steps: 5 });
  await crm.mouse.move(x + 100, y, { steps: 5 });
  await crm.mouse.up();
  await expect.poll(async () => (await frameBox(crm)).width).toBeLessThan(456);
  const dragged = (await frameBox(crm)).width;
  const worker = await extension.serviceWorker();
  await expect
    .poll(() => worker.evaluate(() => chrome.storage.local.get('sidebarFrame')))
    .toEqual({ sidebarFrame: { collapsed: false, width: dragged } });

  await crm.reload();
  sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByRole('separator', { name: 'Sidebar width' })).toHaveAttribute(
    'aria-valuenow',
    String(dragged),
  );
  await expect.poll(() => frameBox(crm)).toEqual({ width: dragged, pageMargin: dragged });
});

test('a page script cannot hand the sidebar a channel of its own', async ({ extension, stack }) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByRole('button', { name: 'Collapse the sidebar' })).toBeVisible();
  // The page posts a forged connect message with a port it controls to every frame it can reach.
  const asked = await crm.evaluate(async () => {
    const channel = new MessageChannel();
    let calls = 0;
    channel.port1.onmessage = () => {
      calls += 1;
    };
    for (let i = 0; i < window.frames.length; i++)
      window.frames[i]?.postMessage({ type: 'caller-context:connect', secret: 'guess' }, '*', [
        channel.port2,
      ]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    return calls;
  });
  // The sidebar keeps its real channel: collapsing still works, and the forged port heard nothing.
  await sidebar.getByRole('button', { name: 'Collapse the sidebar' }).click();
  await expect.poll(async () => (await frameBox(crm)).width).toBe(44);
  expect(asked).toBe(0);
});
