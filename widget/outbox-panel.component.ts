import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AfterCallEvent, OutboxStatus } from '../shared/after-call';
import { downloadJson, failedExportName } from './download';
import { optionsStyles } from './options.styles';
import { theme } from './theme.styles';

export interface OutboxPanelApi {
  status(): Promise<OutboxStatus>;
  subscribe(onChange: (status: OutboxStatus) => void): () => void;
  retryFailed(): Promise<{ retried: number }>;
  exportFailed(): Promise<{ event: AfterCallEvent; error: string; failedAt: string }[]>;
}

/**
 * The options page's view of the after-call outbox: what is on its way, delivered and refused,
 * with the refused events to retry or export (never dropped silently).
 */
export class CcOutboxPanel extends LitElement {
  static override styles = [theme, optionsStyles];

  @property({ attribute: false }) api: OutboxPanelApi | undefined;
  @state() private status: OutboxStatus | null = null;
  @state() private message: string | null = null;
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.api?.subscribe((status) => {
      this.status = status;
    });
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async load(): Promise<void> {
    try {
      this.status = (await this.api?.status()) ?? null;
    } catch {
      this.message = 'Could not read the outbox. Reload this page to try again.';
    }
  }

  private async retry(): Promise<void> {
    const result = await this.api?.retryFailed().catch(() => null);
    this.message = result
      ? `${result.retried} event(s) sent again.`
      : 'Could not retry. Try again.';
    await this.load();
  }

  private async export(): Promise<void> {
    const failed = await this.api?.exportFailed().catch(() => null);
    if (!failed) {
      this.message = 'Could not export. Try again.';
      return;
    }
    downloadJson(failedExportName(), failed);
    this.message = `${failed.length} event(s) exported.`;
  }

  override render() {
    const s = this.status;
    return html`<section aria-labelledby="outbox-title">
      <h2 id="outbox-title">Logged calls</h2>
      <p class="lead">After-call events wait here until the platform has them; none is dropped.</p>
      ${
        s
          ? html`<p data-outbox-counts>
            ${s.pending} pending · ${s.sent} sent · ${s.failed} failed
            ${s.retryAt ? html`<br /><span class="hint">Next try ${new Date(s.retryAt).toLocaleTimeString()}${s.lastError ? `: ${s.lastError}` : ''}</span>` : nothing}
          </p>`
          : html`<p aria-busy="true">Reading the outbox…</p>`
      }
      ${
        s && s.failedEvents.length > 0
          ? html`<ul aria-label="Refused events">
              ${s.failedEvents.map(
                (e) =>
                  html`<li>${new Date(e.loggedAt).toLocaleString()} · ${e.disposition}:
                    <span class="error-text">${e.error}</span></li>`,
              )}
            </ul>
            <div class="row">
              <button type="button" @click=${this.retry}>Retry refused events</button>
              <button type="button" class="secondary" @click=${this.export}>Export as JSON</button>
            </div>`
          : nothing
      }
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-outbox-panel': CcOutboxPanel;
  }
}
