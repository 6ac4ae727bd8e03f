import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { type AuditEntry, THIS_BROWSER } from '../shared/audit';
import { english, type Translator } from './i18n/catalog';
import { optionsSectionStyles } from './options.styles';

export interface AuditListApi {
  entries(): Promise<AuditEntry[]>;
}

/** How long and how many entries the list keeps (background/audit-log.ts). */
const KEPT_DAYS = 90;
const KEPT_ENTRIES = 5000;
const REASONS: readonly AuditEntry['reason'][] = ['call', 'retry', 'test', 'verbalConsent'];

/**
 * The local audit list: each lookup this browser made, who asked and for which identity.
 * It holds no profile data, only what was looked up.
 */
export class CcAuditList extends LitElement {
  static override styles = [
    ...optionsSectionStyles,
    css`
      .table-wrap {
        overflow-x: auto;
      }
      table {
        border-collapse: collapse;
        width: 100%;
        font-size: 13px;
      }
      th,
      td {
        text-align: start;
        padding: 4px 8px;
        border-bottom: 1px solid var(--cc-border);
      }
    `,
  ];

  @property({ attribute: false }) api: AuditListApi | undefined;
  /** The agent's language. */
  @property({ attribute: false }) translator: Translator = english;
  @state() private entries: AuditEntry[] | null = null;
  @state() private message: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    if (!this.api) return;
    try {
      this.entries = await this.api.entries();
      this.message = null;
    } catch {
      this.message = this.translator.t('options.audit.loadFailed');
    }
  }

  override render() {
    const entries = this.entries;
    const { t, locale } = this.translator;
    const reason = (entry: AuditEntry) =>
      REASONS.includes(entry.reason) ? t(`options.audit.reason.${entry.reason}`) : entry.reason;
    return html`<section aria-labelledby="audit-title">
      <h2 id="audit-title">${t('options.audit.title')}</h2>
      <p class="lead">${t('options.audit.lead', { days: KEPT_DAYS, max: KEPT_ENTRIES })}</p>
      <button type="button" class="secondary" @click=${() => this.load()}>${t('options.audit.refresh')}</button>
      <div aria-live="polite">
        ${this.message ? html`<p class="notice error" role="alert">${this.message}</p>` : nothing}
        ${entries && entries.length === 0 ? html`<p>${t('options.audit.empty')}</p>` : nothing}
      </div>
      ${
        entries && entries.length > 0
          ? html`<div class="table-wrap">
            <table>
              <caption class="lead">${t('options.audit.caption', { count: entries.length })}</caption>
              <thead>
                <tr><th scope="col">${t('options.audit.when')}</th><th scope="col">${t('options.audit.who')}</th><th scope="col">${t('options.audit.identity')}</th><th scope="col">${t('options.audit.why')}</th></tr>
              </thead>
              <tbody>
                ${entries.map(
                  (entry) => html`<tr>
                    <td><time datetime=${entry.at}>${new Date(entry.at).toLocaleString(locale)}</time></td>
                    <td>${entry.who === THIS_BROWSER ? t('options.audit.thisBrowser') : entry.who}</td>
                    <td>${entry.identity}</td>
                    <td>${reason(entry)}${entry.answer ? `: ${t(`options.audit.answer.${entry.answer}`)}` : ''}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
          : nothing
      }
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-audit-list': CcAuditList;
  }
}
