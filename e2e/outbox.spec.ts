import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from '@playwright/test';
import { EXTENSION_ID, type ExtensionBrowser, launchWithExtension } from '../demo/chromium';
import { silentLogger } from '../gateway/request-log';
import { startGateway } from '../gateway/server';
import { createSinkForwarder } from '../gateway/sink-forwarder';
import { demoConfig } from '../gateway/test-support/fixtures';
import type { AfterCallEvent, OutboxStatus } from '../shared/after-call';
import { startFaultProxy } from './fault-proxy';
import { expect, sidebarFrame, test } from './fixtures';

const SIDEBAR_PAGE = `chrome-extension://${EXTENSION_ID}/sidebar.html`;
const JANE = '+44 20 7946 0123';

/** A stand-in for Segment's tracking API on loopback: counts each messageId it is handed. */
async function startSinkRecorder(): Promise<{
  url: string;
  counts: Map<string, number>;
  server: Server;
}> {
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const { messageId } = JSON.parse(body) as { messageId: string };
      counts.set(messageId, (counts.get(messageId) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"success":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts, server };
}

function apiEvent(n: number): AfterCallEvent {
  const at = Date.now();
  return {
    id: crypto.randomUUID(),
    type: 'call.logged',
    callId: `api-call-${n}`,
    identity: { namespace: 'phone', value: '+442079460123' },
    rawNumber: JANE,
    profile: { id: 'cust-jane', source: 'demo', name: 'Jane Doe' },
    disposition: { code: 'resolved', label: 'Resolved' },
    notes: `Logged through the message API, #${n}`,
    ringingAt: new Date(at - 60_000).toISOString(),
    connectedAt: new Date(at - 50_000).toISOString(),
    endedAt: new Date(at - 1000).toISOString(),
    talkSeconds: 49,
    loggedAt: new Date(at).toISOString(),
  };
}

/**
 * Logs events through the extension's message API from one of its pages, one after another.
 * A send that fails (the worker was stopped under it) is sent again with the same event, as the
 * sidebar does: the same id is one event.
 */
async function logViaApi(page: Page, events: AfterCallEvent[]): Promise<void> {
  await page.evaluate(async (list) => {
    for (const event of list) {
      for (let attempt = 1; ; attempt++) {
        try {
          const answer = (await chrome.runtime.sendMessage({
            id: attempt,
            type: 'logCall',
            data: event,
            timestamp: Date.now(),
          })) as { res?: { saved?: boolean } };
          if (answer?.res?.saved) break;
          throw new Error(`not saved: ${JSON.stringify(answer)}`);
        } catch (error) {
          if (attempt >= 30) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    }
  }, events);
}

async function outboxStatus(page: Page): Promise<OutboxStatus> {
  return page.evaluate(async () => {
    const answer = (await chrome.runtime.sendMessage({
      id: 1,
      type: 'getOutboxStatus',
      timestamp: Date.now(),
    })) as { res: OutboxStatus };
    return answer.res;
  });
}

/** One call through the UI: ring, answer, hang up, then the wrap-up in the CRM's sidebar. */
async function logViaUi(softphone: Page, sidebar: Frame, n: number): Promise<void> {
  await softphone.evaluate((number) => window.softphone.ring(number), JANE);
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await softphone.evaluate(() => window.softphone.answer());
  await softphone.evaluate(() => window.softphone.hangUp());
  await sidebar.getByLabel('Disposition').selectOption('follow_up');
  await sidebar.getByLabel('Notes').fill(`Logged in the sidebar, #${n}`);
  await sidebar.getByRole('button', { name: 'Log call' }).click();
  await expect(sidebar.getByText('Saved. The call is logged')).toBeVisible();
}

test('200 logged calls reach the platform exactly once through outages, worker stops and browser restarts', async ({
  stack,
}) => {
  test.setTimeout(300_000);
  const recorder = await startSinkRecorder();
  const config = demoConfig({
    sinks: [
      { id: 'segment', type: 'segment', baseUrl: recorder.url, writeKeyEnv: 'E2E_WRITE_KEY' },
    ],
  });
  const gateway = await startGateway(config, {
    port: 0,
    logger: silentLogger,
    sinks: createSinkForwarder(config.sinks, { env: { E2E_WRITE_KEY: 'write-key' } }),
  });
  const proxy = await startFaultProxy(gateway.url);
  let browser: ExtensionBrowser | undefined;
  const logged: string[] = [];
  try {
    browser = await launchWithExtension();
    const { userDataDir } = browser;
    await browser.setAgentSettings({ gatewayUrl: proxy.url });

    // 10 calls through the UI while the gateway answers.
    const crm = await browser.context.newPage();
    await crm.goto(`${stack.demo.url}/crm`);
    const sidebar = await sidebarFrame(crm);
    // A tab may start 6 calls a minute (the per-tab budget against pages that flash numbers);
    // ten calls in seconds come from two softphone tabs, five each.
    let softphone: Page | undefined;
    for (let n = 1; n <= 10; n++) {
      if (!softphone || n % 5 === 1) {
        softphone = await browser.context.newPage();
        await softphone.goto(`${stack.demo.url}/softphone`);
      }
      await logViaUi(softphone, sidebar, n);
    }

    let api = await browser.context.newPage();
    await api.goto(SIDEBAR_PAGE);
    const batch = (from: number, count: number) => {
      const events = Array.from({ length: count }, (_, i) => apiEvent(from + i));
      logged.push(...events.map((e) => e.id));
      return events;
    };

    // The gateway stores a batch, but the connection drops before the answer.
    await proxy.setPhase('commit-then-drop');
    await logViaApi(api, batch(11, 30));
    await expect.poll(() => proxy.seen['commit-then-drop'], { timeout: 30_000 }).toBeGreaterThan(0);

    // 503s, with the worker stopped while events are being logged.
    await proxy.setPhase('503');
    const during503 = logViaApi(api, batch(41, 30));
    await browser.stopServiceWorker();
    await during503;
    await expect.poll(() => proxy.seen['503'], { timeout: 30_000 }).toBeGreaterThan(1);

    // 429 with Retry-After, and another worker stop.
    await proxy.setPhase('429', { retryAfterSeconds: 2 });
    await expect.poll(() => proxy.seen['429'], { timeout: 60_000 }).toBeGreaterThan(0);
    await browser.stopServiceWorker();

    // The gateway is down: log more, restart the browser, log more, stop the worker.
    await proxy.setPhase('down');
    await logViaApi(api, batch(71, 40));
    expect((await outboxStatus(api)).pending).toBeGreaterThan(0);
    await browser.close();
    browser = await launchWithExtension({ userDataDir });
    api = await browser.context.newPage();
    await api.goto(SIDEBAR_PAGE);
    const afterRestart = logViaApi(api, batch(111, 40));
    await browser.stopServiceWorker();
    await afterRestart;

    // Second restart, still down, and the last 50.
    await browser.close();
    browser = await launchWithExtension({ userDataDir });
    api = await browser.context.newPage();
    await api.goto(SIDEBAR_PAGE);
    await logViaApi(api, batch(151, 50));
    const beforeUp = await outboxStatus(api);
    expect(beforeUp.pending).toBeGreaterThan(0);
    expect(beforeUp.pending + beforeUp.sent).toBe(200);

    // The gateway comes back: everything arrives, each event once.
    await proxy.setPhase('pass');
    await expect
      .poll(async () => (await outboxStatus(api)).sent, { timeout: 150_000, intervals: [1000] })
      .toBe(200);
    const final = await outboxStatus(api);
    expect(final).toMatchObject({ pending: 0, sent: 200, failed: 0 });
    await expect(api.getByText('Outbox: 0 pending · 200 sent · 0 failed')).toBeVisible();

    const stored = await gateway.gateway.events.list();
    const storedIds = stored.map((e) => e.id);
    expect(storedIds).toHaveLength(200);
    expect(new Set(storedIds).size).toBe(200);
    for (const id of logged) expect(storedIds).toContain(id);
    expect(stored.filter((e) => String(e.notes).startsWith('Logged in the sidebar'))).toHaveLength(
      10,
    );
    // Forwarded to the platform exactly once each, though some were sent to the gateway twice.
    // (202 means stored and queued: delivery follows from the gateway's queue, moments later.)
    await expect.poll(() => recorder.counts.size, { timeout: 30_000 }).toBe(200);
    expect([...recorder.counts.values()].every((count) => count === 1)).toBe(true);
    expect(proxy.seen['commit-then-drop']).toBeGreaterThan(0);
  } finally {
    await browser?.close();
    await proxy.close();
    await gateway.close();
    await new Promise((resolve) => recorder.server.close(resolve));
  }
});
