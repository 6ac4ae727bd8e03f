import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DetectionStatus } from '../shared/detection-status';
import { optionsStyles } from './options.styles';
import { theme } from './theme.styles';

export interface DetectionStatusApi {
  status(url: string): Promise<DetectionStatus>;
  /** Asks the agent's browser for access to a rule's pages (needs the click's user gesture). */
  grant(origins: string[]): Promise<boolean>;
}

const ACCESS_TEXT = {
  declared: 'reads these pages',
  granted: 'reads these pages (access granted)',
  needed: 'needs access to these pages',
};

/**
 * Which built-in detectors and admin rules read a page, the problems of the configured rules,
 * and access for rules whose pages the extension may not read yet.
 */
export class CcDetectionStatus extends LitElement {
  static override styles = [
    theme,
    optionsStyles,
    css`
      :host {
        padding: 0;
        max-width: none;
      }
    `,
  ];

  @property({ attribute: false }) api: DetectionStatusApi | undefined;
  @state() private url = '';
  @state() private result: DetectionStatus | null = null;
  @state() private message: string | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.check();
  }

  private async check(event?: Event): Promise<void> {
    event?.preventDefault();
    if (!this.api) return;
    try {
      this.result = await this.api.status(this.url.trim());
      this.message = null;
    } catch {
      this.message = 'Could not read the detection settings. Try again.';
    }
  }

  private async grant(origins: string[]): Promise<void> {
    if (!this.api) return;
    const granted = await this.api.grant(origins).catch(() => false);
    this.message = granted ? 'Access granted.' : 'Access was not granted.';
    await this.check();
  }

  override render() {
    const r = this.result;
    return html`<section aria-labelledby="detection-title">
      <h2 id="detection-title">Detection</h2>
      <p class="lead">Where Caller Context reads the caller's number. Check a page by its address.</p>
      <form class="row" @submit=${this.check} novalidate>
        <label for="detection-url">Page address</label>
        <input
          id="detection-url"
          placeholder="https://phone.example.com/agent"
          .value=${this.url}
          @input=${(e: Event) => {
            this.url = (e.target as HTMLInputElement).value;
          }}
        />
        <button type="submit">Check</button>
      </form>
      <div aria-live="polite">
        ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
        ${r?.problems.map((p) => html`<p class="notice error" role="alert">Detection rule problem: ${p}</p>`)}
        ${
          r?.url
            ? html`<p data-detectors>
              ${
                r.detectors.length > 0
                  ? `Built-in detectors for this page: ${r.detectors.join(', ')}.`
                  : 'No built-in detector reads this page.'
              }
            </p>`
            : nothing
        }
        ${
          r?.seen && r.seen.length > 0
            ? html`<h3>What the detectors read lately</h3>
                <ul aria-label="Read lately">
                  ${r.seen.map(
                    (c) => html`<li>
                      ${new Date(c.at).toLocaleString()} · ${c.detector} · "${c.raw}" (${c.state})${
                        c.problem ? html` · <span class="error-text">${c.problem}</span>` : nothing
                      }
                    </li>`,
                  )}
                </ul>`
            : nothing
        }
        ${
          r && r.rules.length > 0
            ? html`<ul>
              ${r.rules.map(
                (rule) => html`<li>
                  Rule ${rule.rule} (${rule.matches.join(', ')}): ${ACCESS_TEXT[rule.access]}${
                    r.url
                      ? rule.applies
                        ? '; applies to this page'
                        : '; does not apply to this page'
                      : ''
                  }.
                  ${
                    rule.access === 'needed'
                      ? html`<button type="button" class="secondary" @click=${() => this.grant(rule.matches)}>
                        Grant access
                      </button>`
                      : nothing
                  }
                </li>`,
              )}
            </ul>`
            : nothing
        }
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-detection-status': CcDetectionStatus;
  }
}
