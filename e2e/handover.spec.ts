import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import AxeBuilder from '@axe-core/playwright';
import type { Frame, Page } from '@playwright/test';
import { EXTENSION_ID, type ExtensionBrowser, launchWithExtension } from '../demo/chromium';
import { expect, sidebarFrame, test } from './fixtures';

/**
 * Two agents, each in a browser of their own with their own token from the demo config
 * (demo/gateway.config.json), on the same gateway: a call handed from one to the other keeps
 * its context (README, "Conversations"), and a supervisor lists and joins calls.
 */
const TOM_AND_TESSA = '020 7946 0456';
const JANE = '+44 20 7946 0123';

interface Agent {
  browser: ExtensionBrowser;
  softphone: Page;
  crm: Page;
  sidebar: Frame;
}

async function agentBrowser(gatewayUrl: string, token: string): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension();
  await browser.setAgentSettings({ gatewayUrl, gatewayToken: token });
  return browser;
}

/** An agent at work: the CRM with the sidebar, and the softphone beside it. */
async function atWork(browser: ExtensionBrowser, demoUrl: string): Promise<Agent> {
  const crm = await browser.context.newPage();
  await crm.goto(`${demoUrl}/crm`);
  const sidebar = await sidebarFrame(crm);
  const softphone = await browser.context.newPage();
  await softphone.goto(`${demoUrl}/softphone`);
  await crm.bringToFront();
  return { browser, softphone, crm, sidebar };
}

async function takeCall(agent: Agent, number: string): Promise<void> {
  await agent.softphone.evaluate((n) => window.softphone.ring(n), number);
  await agent.softphone.evaluate(() => window.softphone.answer());
}

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

// The framed sidebar sits in a closed shadow root that axe on the CRM page cannot reach: axe-core
// (the copy @axe-core/playwright runs) is evaluated inside the frame, over the DevTools protocol.
const AXE_SOURCE = readFileSync(
  createRequire(createRequire(import.meta.url).resolve('@axe-core/playwright')).resolve(
    'axe-core/axe.min.js',
  ),
  'utf8',
);

async function frameViolations(frame: Frame): Promise<string[]> {
  await frame.evaluate(AXE_SOURCE);
  return frame.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: {
        run(
          context: Document,
        ): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }>;
      };
    };
    const results = await axe.run(document);
    return results.violations.map(
      (v) => `${v.id} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`,
    );
  });
}

test('a handed-over call keeps its pick, note and wrap-up, and notes flow both ways live', async ({
  stack,
}) => {
  test.setTimeout(90_000);
  const alexBrowser = await agentBrowser(stack.gateway.url, 'demo-alex-token');
  const marcoBrowser = await agentBrowser(stack.gateway.url, 'demo-marco-token');
  try {
    // Alex takes a call from the number Tom and Tessa Baker share, and asks who it is.
    const alex = await atWork(alexBrowser, stack.demo.url);
    await takeCall(alex, TOM_AND_TESSA);
    await alex.sidebar.getByRole('button', { name: 'Tessa Baker' }).click();
    await expect(alex.sidebar.getByRole('heading', { name: 'Tessa Baker' })).toBeVisible();
    // What Alex has of the wrap-up so far goes with the call.
    await alex.sidebar.getByRole('button', { name: 'Wrap up now' }).click();
    const notes = alex.sidebar.getByRole('textbox', { name: 'Notes', exact: true });
    await notes.fill('Refund for the drip tray, pending approval');
    await notes.press('Tab');
    await alex.sidebar.getByRole('button', { name: 'Hand over', exact: true }).click();
    await alex.sidebar
      .getByLabel('Note for the next agent')
      .fill('She wants the refund today; finance must approve');
    await alex.sidebar.getByRole('button', { name: 'Hand over with this note' }).click();
    await expect(alex.sidebar.getByText('Handed over.')).toBeVisible();

    // The call reaches Marco's softphone (a transfer: a call id of its own there).
    const marco = await atWork(marcoBrowser, stack.demo.url);
    await takeCall(marco, TOM_AND_TESSA);
    const handoff = marco.sidebar.getByRole('region', { name: /^From Alex Agent, / });
    await expect(handoff).toBeVisible();
    await expect(handoff).toContainText('She wants the refund today; finance must approve');
    await expect(handoff).toContainText('Customer: Tessa Baker');
    await expect(handoff).toContainText('Refund for the drip tray, pending approval');
    // Tessa, as Alex picked her: no picker for Marco.
    await expect(marco.sidebar.getByRole('heading', { name: 'Tessa Baker' })).toBeVisible();
    await expect(marco.sidebar.getByText('Alex Agent picked this customer')).toBeVisible();
    await expect(marco.sidebar.getByRole('button', { name: 'Tom Baker' })).toHaveCount(0);
    await expect(marco.sidebar.getByRole('button', { name: 'Tessa Baker' })).toHaveCount(0);

    // A note by Marco shows in Alex's sidebar, still open, by the live stream; and Alex's answer
    // reaches Marco the same way. The default wait (10 s) is shorter than anything else that
    // brings notes (the 20 s follow, the minute's heartbeat), so only the stream can pass it;
    // how fast it is is a benchmark's question on this shared machine, not a test's.
    await marco.sidebar.getByLabel('Note for colleagues').fill('Finance approved the refund');
    await marco.sidebar.getByRole('button', { name: 'Add note' }).click();
    await expect(marco.sidebar.getByRole('log')).toContainText('Finance approved the refund');
    await expect(alex.sidebar.getByRole('log')).toContainText('Finance approved the refund');
    await expect(alex.sidebar.getByRole('log')).toContainText('Marco Rossi');
    await alex.sidebar.getByLabel('Note for colleagues').fill('Thanks, I told her to expect it');
    await alex.sidebar.getByLabel('Note for colleagues').press('Control+Enter');
    await expect(marco.sidebar.getByRole('log')).toContainText('Thanks, I told her to expect it');

    expect(await frameViolations(marco.sidebar)).toEqual([]);
    expect(await frameViolations(alex.sidebar)).toEqual([]);
  } finally {
    await Promise.all([alexBrowser.close(), marcoBrowser.close()]);
  }
});

test('a supervisor lists the team and live calls, listens in and adds a note; an agent cannot', async ({
  stack,
}) => {
  test.setTimeout(90_000);
  const marcoBrowser = await agentBrowser(stack.gateway.url, 'demo-marco-token');
  const sofiaBrowser = await agentBrowser(stack.gateway.url, 'demo-sofia-token');
  try {
    const marco = await atWork(marcoBrowser, stack.demo.url);
    await takeCall(marco, JANE);
    await expect(marco.sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
    await expect(
      marco.sidebar.getByRole('heading', { name: 'Notes for colleagues' }),
    ).toBeVisible();

    // Marco's token has no supervisor role: the page says so and lists nothing.
    const refused = await marcoBrowser.context.newPage();
    await refused.goto(`chrome-extension://${EXTENSION_ID}/live-calls.html`);
    await expect(refused.getByRole('alert')).toHaveText(/Live calls are for supervisors/);
    await expect(refused.getByRole('table')).toHaveCount(0);

    const page = await sofiaBrowser.context.newPage();
    await page.goto(`chrome-extension://${EXTENSION_ID}/live-calls.html`);
    const team = page.getByRole('table', { name: 'Team' });
    await expect(team.getByRole('row', { name: /Marco Rossi/ })).toContainText('On a call');
    await expect(team.getByRole('row', { name: /Sofia Bianchi/ })).toContainText('supervisor');
    const calls = page.getByRole('table', { name: 'Calls now' });
    const call = calls.getByRole('row', { name: /Jane Doe/ });
    await expect(call).toContainText('Marco Rossi');
    await expect(call).toContainText('Gold');
    expect(await axeViolations(page)).toEqual([]);

    // Keyboard: Tab to the call, Enter listens in.
    const listen = page.getByRole('button', { name: 'Listen in on the call with Jane Doe' });
    for (let i = 0; i < 20 && !(await listen.evaluate((el) => el.matches(':focus'))); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Hand over', exact: true })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Log call' })).toHaveCount(0);
    await page.getByLabel('Note for colleagues').fill('Offer her the loyalty voucher');
    await page.getByRole('button', { name: 'Add note' }).click();
    await expect(marco.sidebar.getByRole('log')).toContainText('Offer her the loyalty voucher');
    await expect(marco.sidebar.getByText('Sofia Bianchi (listening)')).toBeVisible();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Back to live calls' }).click();
    await expect(page.getByRole('table', { name: 'Calls now' })).toBeVisible();
  } finally {
    await Promise.all([marcoBrowser.close(), sofiaBrowser.close()]);
  }
});
