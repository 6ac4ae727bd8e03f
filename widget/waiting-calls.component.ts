import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallSession } from '../shared/call';
import { profileName } from '../shared/model';
import { english, type Translator } from './i18n/catalog';
import { theme } from './theme.styles';

/** Where the notice gets the waiting calls from (the background's `getWaitingCalls`). */
export type WaitingCallsSource = () => Promise<CallSession[]>;

/** Who is waiting, in words: the caller's name when the lookup found exactly one, and the number. */
export function waitingCaller(call: CallSession): string {
  const number = call.identity?.namespace === 'phone' ? call.identity.value : call.rawNumber;
  const matches = call.lookup.status === 'done' ? call.lookup.context.matches : [];
  const only = matches.length === 1 ? matches[0] : undefined;
  const name = only ? profileName(only.profile) : undefined;
  return name ? `${name} (${number})` : number;
}

/**
 * "Another call is waiting: ...": a second caller ringing while the agent is on a call. Asks the
 * background again whenever the sidebar's call changes (the background tells the sidebar when a
 * call rings, is answered or ends, waiting or not). Focusable, so keyboard users reach it.
 */
export class CcWaitingCalls extends LitElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      section {
        margin: 8px 14px 0;
        padding: 8px 10px;
        border: 1px solid var(--cc-warn);
        border-radius: var(--cc-radius);
        background: var(--cc-surface);
        color: var(--cc-text);
      }
      section:focus-visible {
        outline: 2px solid var(--cc-accent);
        outline-offset: 2px;
      }
      p {
        margin: 0;
      }
      p + p {
        margin-top: 4px;
      }
    `,
  ];

  /** The sidebar's current call: each new value (a new state of any call) means ask again. */
  @property({ attribute: false }) call: CallSession | null = null;
  /** Where the waiting calls come from; the sidebar passes down what the page gave its root. */
  @property({ attribute: false }) source: WaitingCallsSource | undefined;
  /** The agent's language. */
  @property({ attribute: false }) translator: Translator = english;
  @state() private waiting: CallSession[] = [];
  private asked = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('call') || changed.has('source')) void this.refresh();
  }

  private async refresh(): Promise<void> {
    const ask = ++this.asked;
    if (!this.source || !this.call) {
      this.waiting = [];
      return;
    }
    try {
      const waiting = await this.source();
      // A later question's answer wins over an older one that arrives after it.
      if (ask === this.asked) this.waiting = waiting;
    } catch {
      // The background is restarting: keep what was shown; the next call change asks again.
    }
  }

  override render() {
    if (this.waiting.length === 0) return nothing;
    const { t } = this.translator;
    return html`<section role="status" aria-label=${t('waiting.label')} tabindex="0">
      ${this.waiting.map(
        (call) => html`<p>${t('waiting.another')} <strong>${waitingCaller(call)}</strong></p>`,
      )}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-waiting-calls': CcWaitingCalls;
  }
}
