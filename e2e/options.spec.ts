import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { EXTENSION_ID } from '../demo/chromium';
import { DEMO_GATEWAY_CONFIG } from '../demo/stack';
import { loadGatewayConfig } from '../gateway/config';
import { MemoryLiveBuffer } from '../gateway/live-buffer';
import { silentLogger } from '../gateway/request-log';
import { startGateway } from '../gateway/server';
import { createSources } from '../gateway/sources/registry';
import { expect, sidebarFrame, test } from './fixtures';

const OPTIONS_URL = `chrome-extension://${EXTENSION_ID}/options.html`;

async function openOptions(page: Page): Promise<void> {
  await page.goto(OPTIONS_URL);
  await expect(page.getByRole('heading', { name: 'Caller Context settings' })).toBeVisible();
}

test('shows where each setting comes from and refuses an invalid value next to its field', async ({
  extension,
}) => {
  const page = await extension.context.newPage();
  await openOptions(page);
  const url = page.getByLabel('Gateway URL');
  // The fixture set the gateway URL as the agent's own setting; the region is still default.
  await expect(page.getByText('Your setting').first()).toBeVisible();
  await expect(page.getByLabel('Default region')).toHaveValue('GB');

  await url.fill('http://gateway.example.com');
  await page.getByLabel('Default region').fill('XX');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.getByText('Gateway URL must use https (plain http only on loopback)'),
  ).toBeVisible();
  await expect(page.getByText('Default region must be a two-letter region code')).toBeVisible();
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('status').filter({ hasText: 'Not saved' })).toBeVisible();

  await page.getByLabel('Default region').fill('us');
  await url.fill('https://gateway.example.com');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Default region')).toHaveValue('US');
  await expect(page.getByLabel('Gateway URL')).toHaveValue('https://gateway.example.com');
});

test('Test connection reports a match, a refused token and an unreachable gateway in words an admin can act on', async ({
  extension,
  configure,
}) => {
  const page = await extension.context.newPage();
  await openOptions(page);
  const result = page.locator('[data-test-result]');

  await page.getByLabel('Test identity').fill('phone:+442079460123');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toHaveAttribute('data-test-result', 'ok');
  await expect(result).toContainText('1 match(es) for phone:+442079460123');
  await expect(result.getByRole('listitem')).toHaveText(['demo: 1 match']);

  await configure({ gatewayToken: 'wrong-token' });
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toHaveAttribute('data-test-result', 'failed');
  await expect(result).toContainText('refused our sign-in');

  await configure({ gatewayUrl: 'http://127.0.0.1:9' });
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toContainText('Cannot reach the gateway at http://127.0.0.1:9');

  await page.getByLabel('Test identity').fill('phone:12');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(result).toContainText('Test identity: phone identity must be E.164');
});

test('Test connection names the one source that failed while the others answered', async ({
  extension,
  configure,
}) => {
  const config = await loadGatewayConfig(DEMO_GATEWAY_CONFIG);
  const live = new MemoryLiveBuffer();
  const demo = createSources(config.sources, {
    live,
    baseDir: config.baseDir,
    now: () => new Date(),
  });
  const crmDown = {
    id: 'crm',
    lookup: async () => {
      throw new Error('the CRM answered 503 Service Unavailable');
    },
    activity: async () => [],
  };
  const gateway = await startGateway(config, {
    port: 0,
    logger: silentLogger,
    live,
    sources: [...demo, crmDown],
  });
  try {
    await configure({ gatewayUrl: gateway.url });
    const page = await extension.context.newPage();
    await openOptions(page);
    await page.getByLabel('Test identity').fill('phone:+442079460123');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.locator('[data-test-result]');
    await expect(result).toHaveAttribute('data-test-result', 'failed');
    await expect(result).toContainText('but 1 source(s) failed');
    await expect(result.getByRole('listitem').filter({ hasText: 'demo' })).toHaveText(
      'demo: 1 match',
    );
    await expect(result.getByRole('listitem').filter({ hasText: 'crm' })).toContainText('503');
  } finally {
    await gateway.close();
  }
});

test('Clear my local data deletes the calls this browser kept', async ({ extension, stack }) => {
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  const softphone = await extension.context.newPage();
  await softphone.goto(`${stack.demo.url}/softphone`);
  await softphone.evaluate(() => window.softphone.ring('+44 20 7946 0123'));
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();

  const page = await extension.context.newPage();
  await openOptions(page);
  await page.getByRole('button', { name: 'Clear my local data' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toBeVisible();

  await crm.reload();
  const fresh = await sidebarFrame(crm);
  await expect(fresh.getByText('Waiting for a call.')).toBeVisible();
  await expect(fresh.getByRole('heading', { name: 'Jane Doe' })).toHaveCount(0);
});

test('the options page has no accessibility violations (axe-core)', async ({ extension }) => {
  const page = await extension.context.newPage();
  await openOptions(page);
  await page.getByRole('button', { name: 'Save' }).click();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
});

test('the detection section names the detectors for a page and reports a broken rule beside the good one', async ({
  extension,
  stack,
  configure,
}) => {
  await configure({
    detectionRules: [
      { matches: ['https://phone.example.com/*'], selector: '.incoming .number' },
      { matches: ['https://broken.example.com/*'] },
    ],
  });
  const page = await extension.context.newPage();
  await openOptions(page);
  const detection = page.getByRole('region', { name: 'Detection' });
  await expect(detection.getByRole('alert')).toContainText('Detection rule problem');
  await expect(detection.getByRole('alert')).toContainText('rule 2');

  await detection.getByLabel('Page address').fill('https://phone.example.com/agent');
  await detection.getByRole('button', { name: 'Check' }).click();
  await expect(detection.getByRole('listitem')).toHaveText(
    /Rule 1 \(https:\/\/phone\.example\.com\/\*\): needs access to these pages; applies to this page\./,
  );
  await expect(detection.getByRole('button', { name: 'Grant access' })).toBeVisible();

  await detection.getByLabel('Page address').fill(`${stack.demo.url}/softphone`);
  await detection.getByRole('button', { name: 'Check' }).click();
  await expect(detection.locator('[data-detectors]')).toHaveText(
    'Built-in detectors for this page: demo-softphone.',
  );
});

test('a refused after-call event shows in the options page, exports as JSON and is sent again on retry', async ({
  extension,
  stack,
  configure,
}) => {
  // A gateway that refuses every after-call event as malformed (a 4xx the outbox must not retry).
  const refusing = createServer((req, res) => {
    res.writeHead(req.method === 'OPTIONS' ? 204 : 422, {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'authorization, content-type',
      'content-type': 'application/json',
    });
    res.end(JSON.stringify({ error: { code: 'invalid_event', message: 'disposition unknown' } }));
  });
  await new Promise<void>((done) => refusing.listen(0, '127.0.0.1', done));
  try {
    await configure({ gatewayUrl: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}` });
    const page = await extension.context.newPage();
    await openOptions(page);
    const at = Date.now();
    const answer = await page.evaluate(
      (event) =>
        chrome.runtime.sendMessage({ id: 1, type: 'logCall', data: event, timestamp: Date.now() }),
      {
        id: crypto.randomUUID(),
        type: 'call.logged',
        callId: 'options-test-call',
        identity: { namespace: 'phone', value: '+442079460123' },
        rawNumber: '+44 20 7946 0123',
        profile: null,
        disposition: { code: 'resolved', label: 'Resolved' },
        notes: '',
        ringingAt: new Date(at - 60_000).toISOString(),
        endedAt: new Date(at - 1000).toISOString(),
        talkSeconds: 0,
        loggedAt: new Date(at).toISOString(),
      },
    );
    expect(answer).toMatchObject({ res: { saved: true } });
    const panel = page.getByRole('region', { name: 'Logged calls' });
    await expect(panel.locator('[data-outbox-counts]')).toContainText(
      '0 pending · 0 sent · 1 failed',
    );
    await expect(panel.getByRole('list', { name: 'Refused events' })).toContainText(
      'disposition unknown',
    );

    const download = page.waitForEvent('download');
    await panel.getByRole('button', { name: 'Export as JSON' }).click();
    const file = await (await download).path();
    const exported = JSON.parse(await readFile(file, 'utf8')) as { event: { callId: string } }[];
    expect(exported.map((e) => e.event.callId)).toEqual(['options-test-call']);

    // The admin fixes the gateway; the refused event goes out again and is delivered.
    await configure({ gatewayUrl: stack.gateway.url });
    await panel.getByRole('button', { name: 'Retry refused events' }).click();
    await expect(panel.locator('[data-outbox-counts]')).toContainText(
      '0 pending · 1 sent · 0 failed',
    );
  } finally {
    refusing.closeAllConnections();
    await new Promise<void>((done) => refusing.close(() => done()));
  }
});

test('the detection section shows what the detectors read lately, and why a number was refused', async ({
  extension,
  stack,
}) => {
  const softphone = await extension.context.newPage();
  await softphone.goto(`${stack.demo.url}/softphone`);
  const page = await extension.context.newPage();
  const seen = page.getByRole('list', { name: 'Read lately' }).getByRole('listitem');
  // "12" stays on screen until the detector has read it: a call that comes and goes before the
  // content script starts watching (it starts at document_idle) cannot be seen by anyone.
  await softphone.evaluate(() => window.softphone.ring('12'));
  await expect(async () => {
    await openOptions(page);
    await expect(seen.first()).toContainText('"12"', { timeout: 1_000 });
  }).toPass();
  await softphone.evaluate(() => window.softphone.hangUp());
  await softphone.evaluate(() => window.softphone.ring('+44 20 7946 0123'));

  await expect(async () => {
    await openOptions(page);
    await expect(seen.first()).toContainText('demo-softphone · "+44 20 7946 0123" (Ringing)', {
      timeout: 1_000,
    });
  }).toPass();
  await expect(seen.nth(1)).toContainText('"12"');
  await expect(seen.nth(1)).toContainText('not a possible phone number');
});
