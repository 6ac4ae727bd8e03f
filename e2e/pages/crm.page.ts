import type { Frame, Page } from '@playwright/test';

/**
 * The demo CRM (`/crm`), "Northwind CRM", where the extension mounts its sidebar.
 * Routes: `#/`, `#/cases`, `#/case/<id>`, `#/contacts`, `#/contact/<id>`; `/crm?phone=<E.164>`
 * is a screen pop.
 */
export class CrmPage {
  readonly #page: Page;
  readonly #baseUrl: string;

  constructor(page: Page, baseUrl: string) {
    this.#page = page;
    this.#baseUrl = baseUrl;
  }

  get page(): Page {
    return this.#page;
  }

  /** Opens a CRM path (default `/crm`, the dashboard) and waits until its data has loaded. */
  async goto(path = '/crm'): Promise<void> {
    await this.#page.goto(new URL(path, this.#baseUrl).href);
    await this.#page.getByRole('main').getByRole('heading', { level: 1 }).first().waitFor();
  }

  /** Opens a contact's record from the contact list, e.g. `openContact('Jane Doe')`. */
  async openContact(name: string): Promise<void> {
    await this.#page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Contacts' })
      .click();
    await this.#page.getByRole('main').getByRole('link', { name, exact: true }).first().click();
    await this.#page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
  }

  /** Opens a case's record from the case list by its title, as an agent would. */
  async openCase(title: string): Promise<void> {
    await this.#page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Cases' })
      .click();
    await this.#page.getByRole('main').getByRole('link', { name: title, exact: true }).click();
    await this.caseRecord(title).waitFor();
  }

  /** The case record the CRM shows, found by the heading that carries its title. */
  caseRecord(title: string) {
    return this.#page
      .locator('article[data-record-type="case"]')
      .filter({ has: this.#page.getByRole('heading', { level: 1, name: title, exact: true }) });
  }

  /** The extension's sidebar in this tab, once its content script has mounted it. */
  sidebar(timeoutMs?: number): Promise<Frame> {
    return sidebarFrame(this.#page, timeoutMs);
  }
}

/**
 * The sidebar's frame in a CRM page: an extension page in an iframe that the content script
 * mounts in a closed shadow root, so it is found by its URL rather than by a selector.
 */
export async function sidebarFrame(page: Page, timeoutMs = 10_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes('/sidebar.html'));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error('The sidebar did not appear in the CRM page.');
    await page.waitForTimeout(50);
  }
}
