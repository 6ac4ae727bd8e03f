import { html, LitElement, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import type { CallSession } from '../shared/call';
import { english, type Translator } from './i18n/catalog';
import { theme } from './theme.styles';
import { VerbalConsentEvent } from './verbal-consent.event';
import { verbalConsentStyles } from './verbal-consent.styles';

/**
 * An anonymous caller's spoken permission (config `requireVerbalConsent`): a line the agent reads
 * aloud and the caller's answer, "Caller agreed" or "Caller declined". Once answered, it says what
 * follows; a live region announces it. Shows nothing for a call that needs no permission.
 * @fires cc-verbal-consent - the agent pressed one of the answers (`VerbalConsentEvent`)
 */
export class CcVerbalConsent extends LitElement {
  static override styles = [theme, verbalConsentStyles];

  /** The call; its `verbalConsent` says whether an answer is awaited or what it was. */
  @property({ attribute: false }) call: CallSession | null = null;
  /** The agent's language. */
  @property({ attribute: false }) translator: Translator = english;

  /** The answer on its way to the background, until it is kept. */
  @state() private sending: boolean | null = null;
  @state() private error: string | null = null;
  @query('.result') private result!: HTMLElement | null;
  private focusResult = false;

  override render() {
    const consent = this.call?.verbalConsent;
    if (!consent) return nothing;
    const { t } = this.translator;
    const waiting = consent.state === 'required';
    return html`<section aria-labelledby="consent-title">
      <h2 id="consent-title">${t('verbalConsent.title')}</h2>
      ${
        waiting
          ? html`<p id="consent-prompt" class="prompt">${t('verbalConsent.prompt')}</p>
            <div class="answers" role="group" aria-labelledby="consent-prompt">
              ${this.answerButton(true, t('verbalConsent.agreed'))}
              ${this.answerButton(false, t('verbalConsent.declined'))}
            </div>`
          : nothing
      }
      <p class="result" role="status" tabindex="-1">${this.resultText(consent.state)}</p>
      ${this.error ? html`<p class="error" role="alert">${t('verbalConsent.failed', { reason: this.error })}</p>` : nothing}
    </section>`;
  }

  private resultText(state: 'required' | 'given' | 'declined'): string | typeof nothing {
    const { t } = this.translator;
    if (state === 'given') return t('verbalConsent.givenResult');
    if (state === 'declined') return t('verbalConsent.declinedResult');
    return this.sending === null ? nothing : t('verbalConsent.saving');
  }

  // aria-disabled rather than disabled while the answer is sent: the button keeps the focus.
  private answerButton(given: boolean, label: string) {
    return html`<button
      type="button"
      class=${given ? 'agree' : 'decline'}
      aria-disabled=${this.sending === null ? 'false' : 'true'}
      @click=${() => void this.answer(given)}
    >
      ${label}
    </button>`;
  }

  private async answer(given: boolean): Promise<void> {
    const call = this.call;
    if (!call || this.sending !== null) return;
    this.sending = given;
    this.error = null;
    const request = new VerbalConsentEvent(call.id, given);
    this.dispatchEvent(request);
    try {
      const outcome = await (request.recorded ??
        Promise.resolve({ ok: false, error: 'nothing took the answer' }));
      if (!outcome.ok) this.error = outcome.error ?? 'unknown error';
    } catch {
      this.error = this.translator.t('noAnswer');
    } finally {
      this.sending = null;
    }
    this.focusResult = this.error === null;
    this.requestUpdate();
  }

  protected override updated(): void {
    // The buttons go once the call says the answer is kept (the background's change may come
    // before or after the reply): the focus moves to what the answer changed, not to the page.
    if (this.focusResult && this.call?.verbalConsent?.state !== 'required') {
      this.focusResult = false;
      this.result?.focus();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-verbal-consent': CcVerbalConsent;
  }
}
