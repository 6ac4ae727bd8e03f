import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallSession } from '../shared/call';
import {
  type ConversationResult,
  type ConversationState,
  MAX_NOTE_LENGTH,
  onTheCall,
} from '../shared/conversation';
import { ClockController } from './clock.controller';
import { conversationStyles } from './conversation.styles';
import type { ConversationBackend } from './conversation-backend';
import { relativeTime } from './format';
import { english, type Translator } from './i18n/catalog';
import { problemText } from './problem-text';
import { theme } from './theme.styles';

/** How long an agent unheard of still counts as on the call (the gateway's own measure). */
const ON_CALL_MS = 150_000;

/**
 * Side-channel notes of the call's conversation: who wrote each and when, live as colleagues
 * write them, a field to add one, and "Hand over" with a note for the next agent. Nothing here
 * reaches the customer or a platform record unless an agent logs it in the wrap-up.
 *
 * The backend is a property, handed down from the page's root element (docs/architecture.md,
 * "The widget").
 */
export class CcConversation extends LitElement {
  static override styles = [theme, conversationStyles];

  @property({ attribute: false }) state: ConversationState | null = null;
  @property({ attribute: false }) call: CallSession | null = null;
  @property({ attribute: false }) backend: ConversationBackend | undefined;
  @property({ attribute: false }) translator: Translator = english;
  /** A supervisor listening in: notes, no handover. */
  @property({ type: Boolean }) monitoring = false;

  @state() private sending = false;
  @state() private noteError: string | null = null;
  @state() private handingOver = false;
  @state() private handOverError: string | null = null;
  private readonly clock = new ClockController(this, 15_000);

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('call') as CallSession | null | undefined;
    if (changed.has('call') && previous?.id !== this.call?.id) {
      this.handingOver = false;
      this.noteError = null;
      this.handOverError = null;
    }
  }

  override render() {
    const answer = this.state?.answer;
    if (!answer || !this.call) return nothing;
    const { t, locale } = this.translator;
    const { conversation } = answer;
    const others = conversation.participants.filter(
      (p) => p.key !== answer.you.key && onTheCall(p, this.clock.now.getTime(), ON_CALL_MS),
    );
    const names = others.map((p) =>
      p.role === 'monitor' ? t('conversation.listening', { name: p.name }) : p.name,
    );
    // Not a named region: its name would read as a label "Notes…" beside the wrap-up's Notes.
    return html`<section>
      <h2 id="notes-title">${t('conversation.notesTitle')}</h2>
      <p class="hint">${t('conversation.notesHint')}</p>
      ${names.length > 0 ? html`<p class="with">${t('conversation.onCall', { names: names.join(', ') })}</p>` : nothing}
      <div role="log">
        ${
          conversation.notes.length === 0
            ? html`<p class="hint">${t('conversation.noNotes')}</p>`
            : html`<ul>
              ${conversation.notes.map(
                (note) => html`<li>
                  <span class="who">${note.by.name}</span>
                  <time datetime=${note.at}>${relativeTime(note.at, this.clock.now, locale)}</time>
                  <p class="text">${note.text}</p>
                </li>`,
              )}
            </ul>`
        }
      </div>
      <form @submit=${this.onAddNote}>
        <label>
          ${t('conversation.noteLabel')}
          <textarea
            name="note"
            maxlength=${MAX_NOTE_LENGTH}
            required
            @keydown=${this.onNoteKey}
          ></textarea>
        </label>
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.sending}>
            ${t('conversation.addNote')}
          </button>
        </div>
        ${this.noteError ? html`<p class="error" role="alert">${this.noteError}</p>` : nothing}
      </form>
      ${this.monitoring ? nothing : this.renderHandOver()}
    </section>`;
  }

  private renderHandOver() {
    const { t } = this.translator;
    if (this.state?.handedOver)
      return html`<p class="hand-over done" role="status">${t('conversation.handedOver')}</p>`;
    if (this.call?.state === 'wrapped_up') return nothing;
    if (!this.handingOver)
      return html`<div class="hand-over actions">
        <button type="button" @click=${this.openHandOver}>${t('conversation.handOver')}</button>
      </div>`;
    return html`<form class="hand-over" @submit=${this.onHandOver}>
      <label>
        ${t('conversation.handOverNote')}
        <textarea name="handoff" maxlength=${MAX_NOTE_LENGTH}></textarea>
      </label>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.sending}>
          ${t('conversation.handOverSend')}
        </button>
        <button type="button" @click=${this.closeHandOver}>${t('conversation.cancel')}</button>
      </div>
      ${this.handOverError ? html`<p class="error" role="alert">${this.handOverError}</p>` : nothing}
    </form>`;
  }

  private openHandOver = async (): Promise<void> => {
    this.handingOver = true;
    this.handOverError = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('textarea[name="handoff"]')?.focus();
  };

  private closeHandOver = async (): Promise<void> => {
    this.handingOver = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.hand-over button')?.focus();
  };

  // Ctrl+Enter (Cmd+Enter) sends the note; Enter alone is a new line.
  private onNoteKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    (event.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
  };

  private onAddNote = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = form.elements.namedItem('note') as HTMLTextAreaElement;
    const text = field.value.trim();
    const callId = this.call?.id;
    if (!text || !callId || !this.backend || this.sending) return;
    this.sending = true;
    this.noteError = null;
    const result = await this.backend
      .addNote(callId, text)
      .catch((): ConversationResult => ({ ok: false, error: 'unreachable' }));
    this.sending = false;
    if (result.ok) field.value = '';
    else this.noteError = this.failure(result, 'conversation.noteFailed');
  };

  private onHandOver = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const note = (form.elements.namedItem('handoff') as HTMLTextAreaElement).value.trim();
    const callId = this.call?.id;
    if (!callId || !this.backend || this.sending) return;
    this.sending = true;
    this.handOverError = null;
    const result = await this.backend
      .handOver(callId, note)
      .catch((): ConversationResult => ({ ok: false, error: 'unreachable' }));
    this.sending = false;
    if (result.ok) this.handingOver = false;
    else this.handOverError = this.failure(result, 'conversation.handOverFailed');
  };

  private failure(
    result: Exclude<ConversationResult, { ok: true }>,
    fallback: 'conversation.noteFailed' | 'conversation.handOverFailed',
  ): string {
    const { t } = this.translator;
    return result.problem
      ? `${t(fallback)} ${problemText(result.problem, this.translator)}`
      : t(fallback);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-conversation': CcConversation;
  }
}
