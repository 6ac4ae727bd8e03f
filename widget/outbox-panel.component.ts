import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AfterCallEvent, OutboxStatus } from '../shared/after-call';
import { dispositionLabel } from './disposition-label';
import { downloadJson, failedExportName } from './download';
import { english, type Translator } from './i18n/catalog';
import { optionsStyles } from './options.styles';
import { problemText } from './problem-text';
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
  /** The agent's language. */
  @property({ attribute: false }) translator: Translator = english;
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
      this.message = this.translator.t('options.outbox.loadFailed');
    }
  }

  private async retry(): Promise<void> {
    const result = await this.api?.retryFailed().catch(() => null);
    this.message = result
      ? this.translator.t('options.outbox.retried', { count: result.retried })
      : this.translator.t('options.outbox.retryFailed');
    await this.load();
  }

  private async export(): Promise<void> {
    const failed = await this.api?.exportFailed().catch(() => null);
    if (!failed) {
      this.message = this.translator.t('options.outbox.exportFailed');
      return;
    }
    downloadJson(failedExportName(), failed);
    this.message = this.translator.t('options.outbox.exported', { count: failed.length });
  }

  override render() {
    const s = this.status;
    const { t, locale } = this.translator;
    const reason = s?.lastProblem ? problemText(s.lastProblem, this.translator) : s?.lastError;
    const time = s?.retryAt ? new Date(s.retryAt).toLocaleTimeString(locale) : '';
    return html`<section aria-labelledby="outbox-title">
      <h2 id="outbox-title">${t('options.outbox.title')}</h2>
      <p class="lead">${t('options.outbox.lead')}</p>
      ${
        s
          ? html`<p data-outbox-counts>
            ${t('outbox.pending', { count: s.pending })} · ${t('outbox.sent', { count: s.sent })} ·
            ${t('outbox.failed', { count: s.failed })}
            ${
              s.retryAt
                ? html`<br /><span class="hint">${
                    reason
                      ? t('options.outbox.nextTryWhy', { time, reason })
                      : t('options.outbox.nextTry', { time })
                  }</span>`
                : nothing
            }
          </p>`
          : html`<p aria-busy="true">${t('options.outbox.reading')}</p>`
      }
      ${
        s && s.failedEvents.length > 0
          ? html`<ul aria-label=${t('options.outbox.refused')}>
              ${s.failedEvents.map(
                (e) =>
                  html`<li>${new Date(e.loggedAt).toLocaleString(locale)} · ${dispositionLabel(
                    { code: e.dispositionCode ?? '', label: e.disposition },
                    this.translator,
                  )}:
                    <span class="error-text">${e.problem ? problemText(e.problem, this.translator) : e.error}</span></li>`,
              )}
            </ul>
            <div class="row">
              <button type="button" @click=${this.retry}>${t('options.outbox.retry')}</button>
              <button type="button" class="secondary" @click=${this.export}>${t('options.outbox.export')}</button>
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
