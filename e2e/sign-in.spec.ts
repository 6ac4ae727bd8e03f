import type { Page } from '@playwright/test';
import { EXTENSION_ID } from '../demo/chromium';
import { DEMO_GATEWAY_CONFIG } from '../demo/stack';
import { loadGatewayConfig } from '../gateway/config';
import { silentLogger } from '../gateway/request-log';
import { type RunningGateway, startGateway } from '../gateway/server';
import { expect, sidebarFrame, test } from './fixtures';
import { type FakeOidcProvider, startFakeOidcProvider } from './support/oidc-provider';

const OPTIONS_URL = `chrome-extension://${EXTENSION_ID}/options.html`;

let provider: FakeOidcProvider;
let gateway: RunningGateway;

async function startWith(expiresIn: number): Promise<void> {
  provider = await startFakeOidcProvider({ tokenPrefix: 'idp-token', expiresIn });
  const config = await loadGatewayConfig(DEMO_GATEWAY_CONFIG);
  // The gateway accepts exactly the tokens this provider hands out, and nothing the agent has.
  config.auth.tokens = Array.from({ length: 20 }, (_, i) => `idp-token-${i + 1}`);
  config.auth.collectTokens = [];
  gateway = await startGateway(config, { port: 0, logger: silentLogger });
}

test.afterEach(async () => {
  await gateway?.close();
  await provider?.close();
});

async function ringJane(page: Page, demoUrl: string): Promise<void> {
  await page.goto(`${demoUrl}/softphone`);
  await page.evaluate(() => window.softphone.ring('+44 20 7946 0123'));
}

test('an agent signs in with the organisation provider (PKCE) and lookups carry their token', async ({
  extension,
  stack,
  configure,
}) => {
  await startWith(3600);
  await configure({
    gatewayUrl: gateway.url,
    gatewayToken: 'a-static-token-the-gateway-refuses',
    oidc: { issuer: provider.url, clientId: 'caller-context' },
  });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);

  // Before signing in, the agent is told what to do instead of a bare "refused".
  await ringJane(await extension.context.newPage(), stack.demo.url);
  await expect(sidebar.getByRole('alert')).toContainText('Sign in to Caller Context first');

  const options = await extension.context.newPage();
  await options.goto(OPTIONS_URL);
  await expect(options.getByText('You are not signed in')).toBeVisible();
  await options.getByRole('button', { name: 'Sign in' }).click();
  await expect(options.getByText('Signed in as Alex Agent.')).toBeVisible();
  expect(provider.grants).toEqual(['authorization_code']);

  const softphone = await extension.context.newPage();
  await softphone.goto(`${stack.demo.url}/softphone`);
  await softphone.evaluate(() => window.softphone.hangUp());
  await softphone.evaluate(() => window.softphone.ring('+44 20 7946 0123'));
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();

  // Tokens live in session storage only: nothing of them on disk in local storage.
  const worker = await extension.serviceWorker();
  const stored = await worker.evaluate(async () => ({
    local: JSON.stringify(await chrome.storage.local.get(null)),
    session: JSON.stringify(await chrome.storage.session.get(null)),
  }));
  expect(stored.local).not.toContain('idp-token');
  expect(stored.session).toContain('idp-token-1');

  await options.getByRole('button', { name: 'Sign out' }).click();
  await expect(options.getByText('You are not signed in')).toBeVisible();
  expect(
    await worker.evaluate(async () => JSON.stringify(await chrome.storage.session.get(null))),
  ).not.toContain('idp-token');
});

test('a token about to expire is refreshed before the lookup, not after a refusal', async ({
  extension,
  stack,
  configure,
}) => {
  // Tokens that live 30 s are always inside the 60 s refresh margin: each lookup refreshes.
  await startWith(30);
  await configure({
    gatewayUrl: gateway.url,
    oidc: { issuer: provider.url, clientId: 'caller-context' },
  });
  const options = await extension.context.newPage();
  await options.goto(OPTIONS_URL);
  await options.getByRole('button', { name: 'Sign in' }).click();
  await expect(options.getByText('Signed in as Alex Agent.')).toBeVisible();

  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ringJane(await extension.context.newPage(), stack.demo.url);
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  // The sign-in, then a refresh before the lookup. The live call's activity stream and polls
  // that follow it may refresh again (these tokens never leave the margin), never sign in anew.
  expect(provider.grants.slice(0, 2)).toEqual(['authorization_code', 'refresh_token']);
  expect(provider.grants.slice(2).filter((grant) => grant !== 'refresh_token')).toEqual([]);
  expect(provider.issued.slice(0, 2)).toEqual(['idp-token-1', 'idp-token-2']);
});
