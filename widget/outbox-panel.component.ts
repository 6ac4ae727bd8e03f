import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AfterCallEvent, OutboxStatus } from '../shared/after-call';
import { dispositionLabel } from './disposition-label';
import { downloadJson, failedExportName } from './download';
import { english, type Translator } from './i18n/catalog';
import { outboxPanelStyles } from './outbox-panel.styles';
import { problemText } from './problem-text';

/** What the outbox panel needs from the background (the extension's messages; a fake in tests). */
export interface OutboxApi {
  status(): Promise<OutboxStatus>;
  /** Calls `onChange` with each new outbox status; returns the unsubscribe. */
  subscribe(onChange: (status: OutboxStatus) => void): () => void;
  retryFailed(): Promise<{ retried: number }>;
  exportFailed(): Promise<{ event: AfterCallEvent; error: string; failedAt: string }[]>;
}

/**
 * The after-call outbox: what is on its way, delivered and refused, with the refused events to
 * retry or export (never dropped silently). One element in both places it shows: under the
 * wrap-up (`compact`: a line, no heading of its own) and as a section of the options page.
 */
export class CcOutboxPanel extends LitElement {
  static override styles = outboxPanelStyles;

  @property({ attribute: false }) api: OutboxApi | undefined;
  /** The agent's language, and the locale times are shown in. */
  @property({ attribute: false }) translator: Translator = english;
  /** Under the wrap-up: a line named "Outbox", quiet until the first status is in. */
  @property({ type: Boolean, reflect: true }) compact = false;
  @state() private status: OutboxStatus | null = null;
  @state() private unavailable = false;
  @state() private message: string | null = null;
  private unsubscribe: (() => void) | undefined;
  /** The api whose changes are followed now. */
  private followed: OutboxApi | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.followed = undefined;
  }

  protected override willUpdate(): void {
    // An api set (or replaced) after connecting is followed from then on.
    if (this.isConnected && this.api !== this.followed) this.follow();
  }

  private follow(): void {
    this.unsubscribe?.();
    this.followed = this.api;
    this.unsubscribe = this.api?.subscribe((status) => {
      this.status = status;
      this.unavailable = false;
    });
    void this.refresh();
  }

  /** Asks the background for the outbox's status now (the wrap-up does after logging a call). */
  async refresh(): Promise<void> {
    if (!this.api) return;
    try {
      this.status = await this.api.status();
      this.unavailable = false;
    } catch {
      this.unavailable = true;
    }
  }

  private readonly retry = async (): Promise<void> => {
    const result = await this.api?.retryFailed().catch(() => null);
    this.message = result
      ? this.translator.t('outbox.retried', { count: result.retried })
      : this.translator.t('outbox.retryFailed');
    await this.refresh();
  };

  private readonly export = async (): Promise<void> => {
    const failed = await this.api?.exportFailed().catch(() => null);
    if (!failed) {
      this.message = this.translator.t('outbox.exportFailed');
      return;
    }
    downloadJson(failedExportName(), failed);
    this.message = this.translator.t('outbox.exported', { count: failed.length });
  };

  override render() {
    const { t } = this.translator;
    const body = html`${this.renderStatus()}
      ${this.message ? html`<p role="status">${this.message}</p>` : nothing}`;
    if (this.compact)
      return this.status || this.unavailable
        ? html`<section aria-label=${t('outbox.label')}>${body}</section>`
        : nothing;
    return html`<section aria-labelledby="outbox-title">
      <h2 id="outbox-title">${t('outbox.heading')}</h2>
      <p class="lead">${t('outbox.lead')}</p>
      ${body}
    </section>`;
  }

  private renderStatus() {
    const { t, locale } = this.translator;
    const status = this.status;
    if (this.unavailable) return html`<p>${t('outbox.unavailable')}</p>`;
    if (!status) return html`<p aria-busy="true">${t('outbox.reading')}</p>`;
    const time = status.retryAt ? new Date(status.retryAt).toLocaleTimeString(locale) : '';
    const reason = status.lastProblem
      ? problemText(status.lastProblem, this.translator)
      : status.lastError;
    const retry = !status.retryAt
      ? ''
      : reason
        ? ` ${t('outbox.nextTryWhy', { time, reason })}`
        : ` ${t('outbox.nextTry', { time })}`;
    return html`<p role="status" aria-live="polite" data-outbox-counts>
        ${t('outbox.title')} ${t('outbox.pending', { count: status.pending })} ·
        ${t('outbox.sent', { count: status.sent })} ·
        <span class=${status.failed > 0 ? 'failed' : ''}>${t('outbox.failed', { count: status.failed })}</span>.${retry}
      </p>
      ${
        status.failedEvents.length > 0
          ? html`<ul aria-label=${t('outbox.failedList')}>
              ${status.failedEvents.map(
                (e) =>
                  html`<li>${new Date(e.loggedAt).toLocaleString(locale)} · ${dispositionLabel(
                    { code: e.dispositionCode ?? '', label: e.disposition },
                    this.translator,
                  )}:
                    <span class="error-text">${e.problem ? problemText(e.problem, this.translator) : e.error}</span></li>`,
              )}
            </ul>
            <div class="row">
              <button type="button" @click=${this.retry}>${t('outbox.retry')}</button>
              <button type="button" class="secondary" @click=${this.export}>${t('outbox.export')}</button>
            </div>`
          : nothing
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-outbox-panel': CcOutboxPanel;
  }
}
