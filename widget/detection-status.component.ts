import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { DetectionStatus } from '../shared/detection-status';
import { english, type Translator } from './i18n/catalog';
import { optionsSectionStyles } from './options.styles';

export interface DetectionStatusApi {
  status(url: string): Promise<DetectionStatus>;
  /** Asks the agent's browser for access to a rule's pages (needs the click's user gesture). */
  grant(origins: string[]): Promise<boolean>;
}

/**
 * Which built-in detectors and admin rules read a page, the problems of the configured rules,
 * and access for rules whose pages the extension may not read yet.
 */
export class CcDetectionStatus extends LitElement {
  static override styles = optionsSectionStyles;

  @property({ attribute: false }) api: DetectionStatusApi | undefined;
  /** The agent's language. */
  @property({ attribute: false }) translator: Translator = english;
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
      this.message = this.translator.t('options.detection.loadFailed');
    }
  }

  private async grant(origins: string[]): Promise<void> {
    if (!this.api) return;
    const granted = await this.api.grant(origins).catch(() => false);
    // Read the rules' access again first: a successful read clears the message.
    await this.check();
    this.message = this.translator.t(
      granted ? 'options.detection.granted' : 'options.detection.notGranted',
    );
  }

  override render() {
    const r = this.result;
    const { t, locale } = this.translator;
    return html`<section aria-labelledby="detection-title">
      <h2 id="detection-title">${t('options.detection.title')}</h2>
      <p class="lead">${t('options.detection.lead')}</p>
      <form class="row" @submit=${this.check} novalidate>
        <label for="detection-url">${t('options.detection.address')}</label>
        <input
          id="detection-url"
          placeholder="https://phone.example.com/agent"
          .value=${this.url}
          @input=${(e: Event) => {
            this.url = (e.target as HTMLInputElement).value;
          }}
        />
        <button type="submit">${t('options.detection.check')}</button>
      </form>
      <div aria-live="polite">
        ${this.message ? html`<p role="status">${this.message}</p>` : nothing}
        ${r?.problems.map((p) => html`<p class="notice error" role="alert">${t('options.detection.problem', { problem: p })}</p>`)}
        ${
          r?.url
            ? html`<p data-detectors>
              ${
                r.detectors.length > 0
                  ? t('options.detection.detectors', { detectors: r.detectors.join(', ') })
                  : t('options.detection.none')
              }
            </p>`
            : nothing
        }
        ${
          r?.seen && r.seen.length > 0
            ? html`<h3>${t('options.detection.seen')}</h3>
                <ul aria-label=${t('options.detection.seenList')}>
                  ${r.seen.map(
                    (c) => html`<li>
                      ${new Date(c.at).toLocaleString(locale)} · ${c.detector} · "${c.raw}" (${stateLabel(c.state, t)})${
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
                  ${t('options.detection.rule', {
                    rule: String(rule.rule),
                    matches: rule.matches.join(', '),
                    access: t(`options.detection.access.${rule.access}`),
                  })}${
                    r.url
                      ? t(
                          rule.applies
                            ? 'options.detection.applies'
                            : 'options.detection.notApplies',
                        )
                      : ''
                  }.
                  ${
                    rule.access === 'needed'
                      ? html`<button type="button" class="secondary" @click=${() => this.grant(rule.matches)}>
                        ${t('options.detection.grant')}
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

const CALL_STATES = ['ringing', 'connected', 'ended', 'wrapped_up'] as const;

/** A call's state in the agent's language; anything else as it came. */
function stateLabel(state: string, t: Translator['t']): string {
  const known = CALL_STATES.find((s) => s === state);
  return known ? t(`state.${known}`) : state;
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-detection-status': CcDetectionStatus;
  }
}
