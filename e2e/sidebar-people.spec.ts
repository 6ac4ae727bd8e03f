import AxeBuilder from '@axe-core/playwright';
import { EXTENSION_ID } from '../demo/chromium';
import { expect, ring, sidebarFrame, test } from './fixtures';

test('at 320 px wide the sidebar reads without sideways scrolling', async ({
  extension,
  stack,
}) => {
  const page = await extension.context.newPage();
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(`chrome-extension://${EXTENSION_ID}/sidebar.html`);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  await expect(page.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Recent web activity' })).toBeVisible();
  const overflow = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(0);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
});

test('the agent reaches every sidebar control with Tab, and sees where focus is', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({ crmActions: { openContact: `${stack.demo.url}/crm#/contact/{id}` } });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '020 7946 0456');
  await expect(sidebar.getByRole('button', { name: 'Tom Baker' })).toBeVisible();

  // Start inside the sidebar, then Tab through it and note what takes focus and how it looks.
  await sidebar.getByRole('separator', { name: 'Sidebar width' }).focus();
  const reached: { name: string; outline: string }[] = [];
  const focused = () =>
    sidebar.evaluate(() => {
      let element: Element | null = document.activeElement;
      while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
      if (!element) return { name: '', outline: 'none' };
      const style = getComputedStyle(element);
      const name =
        element.getAttribute('aria-label') ??
        element.textContent?.trim().replace(/\s+/g, ' ') ??
        '';
      return { name, outline: `${style.outlineStyle} ${style.outlineWidth}` };
    });
  for (let i = 0; i < 6; i++) {
    await crm.keyboard.press('Tab');
    reached.push(await focused());
  }
  // Back to where it started, by keyboard too.
  for (let i = 0; i < 6; i++) await crm.keyboard.press('Shift+Tab');
  reached.push(await focused());
  const names = reached.map((r) => r.name);
  expect(names).toEqual(
    expect.arrayContaining(['Sidebar width', 'Collapse the sidebar', 'Tom Baker', 'Tessa Baker']),
  );
  for (const r of reached.filter((x) => x.name !== ''))
    expect(r.outline, `focus on "${r.name}" is visible`).not.toMatch(/^none/);

  // And the keyboard alone picks a customer.
  await sidebar.getByRole('button', { name: 'Tessa Baker' }).focus();
  await crm.keyboard.press('Enter');
  await expect(sidebar.getByRole('heading', { name: 'Tessa Baker' })).toBeVisible();
});
