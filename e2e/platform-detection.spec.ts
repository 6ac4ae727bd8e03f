import type { Frame, Page } from '@playwright/test';
import { type ExtensionBrowser, launchWithExtension } from '../demo/chromium';
import type { DemoStack } from '../demo/stack';
import type { ExtensionConfig } from '../shared/config';
import { expect, sidebarFrame, test } from './fixtures';
import { type PlatformPages, startPlatformPages } from './platform-pages';
import { callRecords, sessionCount } from './support/call-records';

let pages: PlatformPages;

test.beforeAll(async () => {
  pages = await startPlatformPages();
});

test.afterAll(async () => {
  await pages?.close();
});

/** Chromium with the built extension, vendor hostnames resolved to the loopback fixture server. */
async function launch(stack: DemoStack, settings: Partial<ExtensionConfig> = {}) {
  const browser = await launchWithExtension({ extraArgs: pages.chromiumArgs });
  await browser.setAgentSettings({ gatewayUrl: stack.gateway.url, ...settings });
  return browser;
}

async function openCrm(browser: ExtensionBrowser, stack: DemoStack): Promise<Frame> {
  const crm = await browser.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await expect(sidebar.getByText('Waiting for a call.')).toBeVisible();
  return sidebar;
}

function setCallState(page: Page, text: string): Promise<void> {
  return page.evaluate((t) => {
    const line = document.getElementById('call-state');
    if (line) line.textContent = t;
  }, text);
}

const PLATFORMS = [
  {
    name: 'Amazon Connect CCP',
    url: 'https://acme.my.connect.aws/ccp-v2/amazon-connect.html',
    caller: 'Amelia Chen',
    connected: 'Connected call',
    ended: 'After contact work',
  },
  {
    name: 'Twilio Flex',
    url: 'https://flex.twilio.com/agent-desktop/twilio-flex.html',
    caller: 'Jane Doe',
    connected: 'Live | 00:03',
    ended: 'Wrap up',
  },
  {
    name: 'Dynamics 365',
    url: 'https://contoso.crm.dynamics.com/main/dynamics-365.html',
    caller: 'Luis García',
    connected: 'Ongoing call',
    ended: 'Call ended',
  },
  {
    name: 'Zendesk Talk',
    url: 'https://acme.zendesk.com/agent/zendesk.html',
    caller: 'Jane Doe',
    connected: 'Call in progress',
    ended: 'Wrap-up',
  },
  {
    name: 'Genesys Cloud',
    url: 'https://apps.mypurecloud.com/directory/genesys-cloud.html',
    caller: 'Sophie Martin',
    connected: 'Connected',
    ended: 'Disconnected',
  },
];

for (const platform of PLATFORMS) {
  test(`${platform.name}: the ringing caller pops in the CRM, then the call connects and ends`, async ({
    stack,
  }) => {
    const browser = await launch(stack);
    try {
      const sidebar = await openCrm(browser, stack);
      const phone = await browser.context.newPage();
      const url = new URL(platform.url);
      await phone.goto(`${pages.origin(url.hostname)}${url.pathname}`);
      await expect(sidebar.getByRole('heading', { name: platform.caller })).toBeVisible();
      await expect(sidebar.getByRole('status').filter({ hasText: 'Ringing' })).toBeVisible();
      await setCallState(phone, platform.connected);
      await expect(sidebar.getByRole('status').filter({ hasText: 'On call' })).toBeVisible();
      await setCallState(phone, platform.ended);
      await expect(sidebar.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
      expect(await sessionCount(browser)).toBe(1);
    } finally {
      await browser.close();
    }
  });
}

test('the softphone tab and a CRM screen pop of the same call make one session, popped once', async ({
  stack,
}) => {
  // A caller in a URL counts on the organisation's CRM pages only: here Dynamics 365, which
  // shows the sidebar on its own hostname.
  const browser = await launch(stack, { crmMatches: ['https://contoso.crm.dynamics.com/*'] });
  try {
    // The CTI adapter opens the caller's record in Dynamics 365 with the number in the URL:
    // that tab alone pops the caller.
    const pop = await browser.context.newPage();
    await pop.goto(
      `${pages.origin('contoso.crm.dynamics.com')}/main.aspx?ani=%2B1%20415%20555%200132`,
    );
    const sidebar = await sidebarFrame(pop);
    await expect(sidebar.getByRole('heading', { name: 'Amelia Chen' })).toBeVisible();
    expect(await sessionCount(browser)).toBe(1);
    // The softphone tab shows the same call, written another way: it joins the session.
    const ccp = await browser.context.newPage();
    await ccp.goto(`${pages.origin('acme.my.connect.aws')}/ccp-v2/amazon-connect.html`);
    await setCallState(ccp, 'Connected call');
    await expect(sidebar.getByRole('status').filter({ hasText: 'On call' })).toBeVisible();
    expect(await sessionCount(browser)).toBe(1);
    await expect(sidebar.getByRole('heading', { name: 'Amelia Chen' })).toHaveCount(1);
  } finally {
    await browser.close();
  }
});

test("a caller in the URL of a page that is not the organisation's CRM pops nothing", async ({
  stack,
}) => {
  const browser = await launch(stack);
  try {
    const sidebar = await openCrm(browser, stack);
    // A link to another tenant's record, with a customer of the sender's choosing in the URL.
    const link = await browser.context.newPage();
    await link.goto(
      `${pages.origin('contoso.crm.dynamics.com')}/main.aspx?ani=%2B1%20415%20555%200132`,
    );
    // The same softphone fixture then rings for real: that call pops, the link never did.
    const ccp = await browser.context.newPage();
    await ccp.goto(`${pages.origin('acme.my.connect.aws')}/ccp-v2/amazon-connect.html`);
    await expect(sidebar.getByRole('heading', { name: 'Amelia Chen' })).toBeVisible();
    expect(await sessionCount(browser)).toBe(1);
    const detector = (await callRecords(browser)).map((r) => r.detector);
    expect(detector).toEqual(['amazon-connect']);
  } finally {
    await browser.close();
  }
});

test('an admin rule reads an in-house softphone; a broken rule beside it is ignored', async ({
  stack,
}) => {
  const browser = await launch(stack, {
    detectionRules: [
      { matches: [`${pages.loopback}/in-house-phone*`], selector: 'div[' },
      { matches: [`${pages.loopback}/in-house-phone*`], selector: '#incoming:not([hidden]) .who' },
    ],
  });
  try {
    const sidebar = await openCrm(browser, stack);
    const phone = await browser.context.newPage();
    await phone.goto(`${pages.loopback}/in-house-phone`);
    await phone.evaluate(() => {
      const incoming = document.getElementById('incoming');
      const who = incoming?.querySelector('.who');
      if (!incoming || !who) return;
      who.textContent = '020 7946 0123';
      incoming.hidden = false;
    });
    await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
    // The number leaves the page: the call ended there.
    await phone.evaluate(() => {
      const incoming = document.getElementById('incoming');
      if (incoming) incoming.hidden = true;
    });
    await expect(sidebar.getByRole('status').filter({ hasText: 'Call ended' })).toBeVisible();
  } finally {
    await browser.close();
  }
});
