import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { CallSession } from '../shared/call';
import { type ConversationState, latestHandoffFor } from '../shared/conversation';
import { ClockController } from './clock.controller';
import { conversationStyles } from './conversation.styles';
import { relativeTime } from './format';
import { english, type Translator } from './i18n/catalog';
import { theme } from './theme.styles';

/**
 * What the agent before this one left at "Hand over": "From Marco Rossi, 2 min ago", their note,
 * the customer as they picked them, and their wrap-up so far. Nothing when no one handed over.
 */
export class CcHandoffNote extends LitElement {
  static override styles = [theme, conversationStyles];

  @property({ attribute: false }) state: ConversationState | null = null;
  @property({ attribute: false }) call: CallSession | null = null;
  @property({ attribute: false }) translator: Translator = english;
  private readonly clock = new ClockController(this, 15_000);

  override render() {
    const answer = this.state?.answer;
    const handoff = answer ? latestHandoffFor(answer.conversation, answer.you.key) : undefined;
    if (!handoff) return nothing;
    const { t, locale } = this.translator;
    const when = relativeTime(handoff.at, this.clock.now, locale);
    const wrapUp = handoff.wrapUp;
    const wrapUpText = wrapUp
      ? [wrapUp.dispositionLabel ?? wrapUp.disposition, wrapUp.notes]
          .filter((part) => part.trim() !== '')
          .join(' — ')
      : '';
    const picked = handoff.picked?.name ?? this.pickedName(handoff.picked?.profileId);
    return html`<section class="handoff" aria-labelledby="handoff-title">
      <h2 id="handoff-title">${t('conversation.from', { name: handoff.by.name, when })}</h2>
      ${handoff.note ? html`<blockquote>${handoff.note}</blockquote>` : nothing}
      ${picked ? html`<p>${t('conversation.customer', { name: picked })}</p>` : nothing}
      ${wrapUpText ? html`<p>${t('conversation.wrapUpSoFar', { text: wrapUpText })}</p>` : nothing}
    </section>`;
  }

  private pickedName(profileId: string | undefined): string | undefined {
    if (!profileId || this.call?.lookup.status !== 'done') return undefined;
    const match = this.call.lookup.context.matches.find((m) => m.profile.id === profileId);
    return match?.profile.displayName;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-handoff-note': CcHandoffNote;
  }
}
