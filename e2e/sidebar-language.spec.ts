import type { ElementHandle } from '@playwright/test';
import { launchWithExtension } from '../demo/chromium';
import { expect, ring, sidebarFrame, test } from './fixtures';

test('in an Italian browser the sidebar speaks Italian, with Italian numbers', async ({
  stack,
}) => {
  const browser = await launchWithExtension({ locale: 'it-IT' });
  try {
    await browser.setAgentSettings({ gatewayUrl: stack.gateway.url });
    const crm = await browser.context.newPage();
    await crm.goto(`${stack.demo.url}/crm`);
    const sidebar = await sidebarFrame(crm);
    await expect(sidebar.getByText('In attesa di una chiamata.')).toBeVisible();

    await ring(await browser.context.newPage(), stack.demo.url, '+44 20 7946 0123');
    await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
    await expect(sidebar.getByRole('status').filter({ hasText: 'Squilla' })).toBeVisible();
    await expect(sidebar.getByText('È un cliente di Marco Rossi')).toBeVisible();
    await expect(sidebar.getByRole('heading', { name: 'Sul sito' })).toBeVisible();
    const dripTray = sidebar
      .getByRole('list', { name: 'Attività recente sul sito' })
      .getByRole('listitem')
      .filter({ hasText: 'Drip tray for Espresso Pro' })
      // The seeded product view: other tests on this worker's gateway may add newer events.
      .filter({ hasText: 'Prodotto visto' })
      .first();
    await expect(dripTray).toBeVisible();
    await expect(dripTray).toContainText(/\d+ (min|sec\.) fa/);
    // Italian money: a decimal comma, the pound sign after the amount.
    await expect(dripTray).toContainText('19,00\u00a0£');
    await expect(sidebar.locator('html')).toHaveAttribute('lang', /^it/);

    // An unknown number, in Italian too.
    await ring(await browser.context.newPage(), stack.demo.url, '+44 20 7946 0000');
    await expect(sidebar.getByText('Chiamante sconosciuto')).toBeVisible();

    // What the extension puts into the CRM page itself: a second CRM tab takes the sidebar, the
    // first offers it back in Italian.
    const second = await browser.context.newPage();
    await second.goto(`${stack.demo.url}/crm`);
    await sidebarFrame(second);
    // In the content script's closed shadow root, reached from the sidebar's frame element.
    const frameElement = (await sidebar.frameElement()) as ElementHandle<HTMLIFrameElement>;
    const elsewhere = (await frameElement.evaluateHandle((el) =>
      (el.getRootNode() as ShadowRoot).querySelector('button[data-caller-context="elsewhere"]'),
    )) as ElementHandle<HTMLButtonElement>;
    await expect.poll(() => elsewhere.isVisible()).toBe(true);
    expect(await elsewhere.textContent()).toBe(
      'Caller Context è aperto in un’altra scheda: mostralo qui',
    );
    expect(await frameElement.getAttribute('title')).toMatch(/^Caller Context/);
  } finally {
    await browser.close();
  }
});
