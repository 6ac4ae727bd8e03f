import type { Locator, Page } from '@playwright/test';
import type { CallState } from '../../demo/pages/softphone-calls';

export type { CallState };

/** The demo softphone (`/softphone`), "Contoso Softphone". */
export class SoftphonePage {
  readonly #page: Page;
  readonly #baseUrl: string;

  constructor(page: Page, baseUrl: string) {
    this.#page = page;
    this.#baseUrl = baseUrl;
  }

  get page(): Page {
    return this.#page;
  }

  /** The call panel that the extension's detector reads (`data-call-state`, `.caller-number`). */
  get callPanel(): Locator {
    return this.#page.getByRole('region', { name: 'Current call' });
  }

  get callerNumber(): Locator {
    return this.callPanel.locator('.caller-number');
  }

  /** Opens the softphone and waits until the seeded customers can be rung. */
  async goto(): Promise<void> {
    await this.#page.goto(new URL('/softphone', this.#baseUrl).href);
    await this.#page
      .getByRole('button', { name: /^Ring as / })
      .first()
      .waitFor();
  }

  /** Rings as a seeded customer, e.g. `ringAs('Jane Doe')`. */
  async ringAs(customerName: string): Promise<void> {
    await this.#page.getByRole('button', { name: `Ring as ${customerName}` }).click();
  }

  /** Rings with exactly this text as the caller's number (any format). */
  async ringNumber(text: string): Promise<void> {
    await this.#page.getByLabel('Any number').fill(text);
    await this.#page.getByRole('button', { name: 'Ring', exact: true }).click();
  }

  async answer(): Promise<void> {
    await this.callPanel.getByRole('button', { name: 'Answer' }).click();
  }

  async hangUp(): Promise<void> {
    await this.callPanel.getByRole('button', { name: 'Hang up' }).click();
  }

  async state(): Promise<CallState> {
    const state = await this.callPanel.getAttribute('data-call-state');
    if (state !== 'idle' && state !== 'ringing' && state !== 'connected' && state !== 'ended') {
      throw new Error(`The softphone shows an unknown call state: ${String(state)}`);
    }
    return state;
  }

  /** The current call's id (`data-call-id`); empty when idle. */
  async callId(): Promise<string> {
    return (await this.callPanel.getAttribute('data-call-id')) ?? '';
  }
}
