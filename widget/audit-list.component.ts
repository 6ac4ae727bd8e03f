import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AuditEntry } from '../shared/audit';
import { optionsStyles } from './options.styles';
import { theme } from './theme.styles';

export interface AuditListApi {
  entries(): Promise<AuditEntry[]>;
}

const REASONS: Record<AuditEntry['reason'], string> = {
  call: 'Incoming call',
  retry: 'Retry',
  test: 'Connection test',
  verbalConsent: "Caller's permission",
};

const ANSWERS: Record<NonNullable<AuditEntry['answer']>, string> = {
  given: 'agreed (web activity looked up)',
  declined: 'declined (nothing more looked up)',
};

/**
 * The local audit list: each lookup this browser made, who asked and for which identity.
 * It holds no profile data, only what was looked up.
 */
export class CcAuditList extends LitElement {
  static override styles = [
    theme,
    optionsStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
      }
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
      this.message = 'Could not read the audit list. Try again.';
    }
  }

  override render() {
    const entries = this.entries;
    return html`<section aria-labelledby="audit-title">
      <h2 id="audit-title">Lookups from this browser</h2>
      <p class="lead">
        Every caller lookup, kept here for 90 days (at most 5,000): who, when, which number. No
        profile data. "Clear my local data" deletes it.
      </p>
      <button type="button" class="secondary" @click=${() => this.load()}>Refresh</button>
      <div aria-live="polite">
        ${this.message ? html`<p class="notice error" role="alert">${this.message}</p>` : nothing}
        ${entries && entries.length === 0 ? html`<p>No lookups yet.</p>` : nothing}
      </div>
      ${
        entries && entries.length > 0
          ? html`<div class="table-wrap">
            <table>
              <caption class="lead">${entries.length === 1 ? '1 lookup' : `${entries.length} lookups`}, newest first</caption>
              <thead>
                <tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Identity</th><th scope="col">Why</th></tr>
              </thead>
              <tbody>
                ${entries.map(
                  (entry) => html`<tr>
                    <td><time datetime=${entry.at}>${new Date(entry.at).toLocaleString()}</time></td>
                    <td>${entry.who}</td>
                    <td>${entry.identity}</td>
                    <td>${REASONS[entry.reason] ?? entry.reason}${entry.answer ? `: ${ANSWERS[entry.answer]}` : ''}</td>
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
