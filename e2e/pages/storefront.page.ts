import type { Locator, Page } from '@playwright/test';
import { findProduct } from '../../demo/pages/shop-catalog';

/**
 * The demo storefront (`/shop`), "La Boutique". It is a single-page app: navigation here clicks
 * links, so the page is not reloaded and the activity counters keep counting.
 */
export class StorefrontPage {
  readonly #page: Page;
  readonly #baseUrl: string;

  constructor(page: Page, baseUrl: string) {
    this.#page = page;
    this.#baseUrl = baseUrl;
  }

  get page(): Page {
    return this.#page;
  }

  /** The footer status: `data-sent-count` (events accepted) and `data-send-errors`. */
  get activityStatus(): Locator {
    return this.#page.locator('.activity-status');
  }

  get #sections(): Locator {
    return this.#page.getByRole('navigation', { name: 'Shop sections' });
  }

  /** Opens the product grid and waits until the shop has loaded its configuration. */
  async goto(): Promise<void> {
    await this.#page.goto(new URL('/shop', this.#baseUrl).href);
    await this.#page.getByLabel('Signed in as').and(this.#page.locator(':enabled')).waitFor();
  }

  /** Chooses the signed-in customer by name (`'Guest'` signs out). Sends no event by itself. */
  async signInAs(customerName: string): Promise<void> {
    await this.#page.getByLabel('Signed in as').selectOption({ label: customerName });
  }

  /** Opens a product from the grid (going back to the grid first when elsewhere). */
  async openProduct(slug: string): Promise<void> {
    const product = findProduct(slug);
    if (!product) throw new Error(`La Boutique has no product "${slug}"`);
    if (new URL(this.#page.url()).pathname.replace(/\/+$/, '') !== '/shop') {
      await this.#sections.getByRole('link', { name: 'Shop', exact: true }).click();
    }
    await this.#page
      .getByRole('main')
      .getByRole('link', { name: product.name, exact: true })
      .first()
      .click();
    await this.#page.getByRole('heading', { level: 1, name: product.name, exact: true }).waitFor();
  }

  /** Adds the open product to the cart. */
  async addToCart(): Promise<void> {
    await this.#page.getByRole('button', { name: 'Add to cart' }).click();
  }

  async openReturns(): Promise<void> {
    await this.#sections.getByRole('link', { name: 'Returns', exact: true }).click();
    await this.#page.getByRole('heading', { level: 1, name: 'Returns and replacements' }).waitFor();
  }

  /** The number of events the gateway has accepted since this page was loaded. */
  async sentCount(): Promise<number> {
    return Number((await this.activityStatus.getAttribute('data-sent-count')) ?? 0);
  }

  /** Waits until the gateway has accepted at least `count` events since the page was loaded. */
  async waitForSent(count: number, options: { timeout?: number } = {}): Promise<void> {
    try {
      await this.#page.waitForFunction(
        (wanted) => {
          const status = document.querySelector('.activity-status');
          return Number(status?.getAttribute('data-sent-count') ?? 0) >= wanted;
        },
        count,
        { timeout: options.timeout ?? 10_000 },
      );
    } catch (error) {
      const status = await this.activityStatus.textContent().catch(() => null);
      throw new Error(
        `The storefront did not get ${count} events accepted; its status reads: ` +
          `"${status?.replace(/\s+/g, ' ').trim() ?? 'no status'}"`,
        { cause: error },
      );
    }
  }
}
