import type { Page } from '@playwright/test';

/**
 * The demo CRM (`/crm`), "Northwind CRM", where the extension mounts its sidebar.
 * Routes: `#/`, `#/cases`, `#/contacts`, `#/contact/<id>`; `/crm?phone=<E.164>` is a screen pop.
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

  // The sidebar's accessors are added alongside the extension's end-to-end tests.
}
