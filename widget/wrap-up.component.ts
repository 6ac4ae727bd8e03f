import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  buildAfterCallEvent,
  type Disposition,
  MAX_NOTES,
  talkSeconds,
  type WrapUpDraft,
  WrapUpProblem,
} from '../shared/after-call';
import type { CallSession } from '../shared/call';
import { type Match, profileName } from '../shared/model';
import { dispositionLabel } from './disposition-label';
import { english, type Translator } from './i18n/catalog';
import type { OutboxApi } from './outbox-panel.component';
import { theme } from './theme.styles';
import { wrapUpStyles } from './wrap-up.styles';
import type { WrapUpBackend } from './wrap-up-backend';

/** Typing is saved this long after the last keystroke (a change of field saves at once). */
const DRAFT_DELAY_MS = 300;

type Fields = Pick<WrapUpDraft, 'disposition' | 'notes' | 'followUpOn' | 'caseId'>;
const EMPTY: Fields = { disposition: '', notes: '', followUpOn: '', caseId: '' };

/**
 * After the call: disposition, notes and an optional follow-up date, logged as an after-call
 * event through the background's outbox; and, below, what the outbox still has to send (the
 * options page's `cc-outbox-panel`, compact). Shown when the
 * call ends, or on demand during it. An unfinished wrap-up is kept by the background, by call id.
 *
 * The backend is a property, handed down from the page's root element (docs/architecture.md,
 * "The widget").
 */
export class CcWrapUp extends LitElement {
  static override styles = [theme, wrapUpStyles];

  /** The call to wrap up; null when there is none. */
  @property({ attribute: false }) call: CallSession | null = null;
  /** The record the call belongs to: the picked match, or null for none. */
  @property({ attribute: false }) match: Match | null = null;
  @property({ attribute: false }) backend: WrapUpBackend | undefined;
  /** The outbox shown below the form. */
  @property({ attribute: false }) outbox: OutboxApi | undefined;
  /** The agent's language, and the locale times are shown in. */
  @property({ attribute: false }) translator: Translator = english;

  @state() private opened = false;
  @state() private fields: Fields = EMPTY;
  /** "Make me their manager": the IVR routes this customer's calls to this agent from now on. */
  @state() private makeMeManager = false;
  @state() private dispositions: Disposition[] = [];
  @state() private loadedFor: string | null = null;
  @state() private saving = false;
  @state() private error: string | null = null;
  @state() private savedMessage: string | null = null;
  /** The call logged here: its form is done even before the background says it is wrapped up. */
  @state() private loggedCall: string | null = null;
  /** Made when "Log call" is first pressed and kept until saved, so a retry is the same event. */
  private eventId: string | null = null;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.flushDraft();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('call')) return;
    const previous = changed.get('call') as CallSession | null | undefined;
    if (previous?.id === this.call?.id) return;
    this.flushDraft();
    this.opened = false;
    this.fields = EMPTY;
    this.makeMeManager = false;
    this.error = null;
    this.eventId = null;
    this.loadedFor = null;
    if (this.call) {
      this.savedMessage = null;
      void this.load(this.call.id);
    }
  }

  private async load(callId: string): Promise<void> {
    if (!this.backend) return;
    try {
      const { draft, dispositions } = await this.backend.load(callId);
      if (this.call?.id !== callId) return;
      this.dispositions = dispositions;
      if (draft) {
        this.fields = {
          disposition: draft.disposition,
          notes: draft.notes,
          followUpOn: draft.followUpOn,
          caseId: draft.caseId,
        };
        this.opened = true;
      }
      this.loadedFor = callId;
    } catch {
      this.error = this.translator.t('wrapUp.loadFailed');
      setTimeout(() => {
        if (this.call?.id === callId && this.loadedFor !== callId) void this.load(callId);
      }, 1000);
    }
  }

  override render() {
    return html`${this.renderWrapUp()}<cc-outbox-panel
        compact
        .api=${this.outbox}
        .translator=${this.translator}
      ></cc-outbox-panel>`;
  }

  private renderWrapUp() {
    const { t } = this.translator;
    const call = this.call;
    const saved = this.savedMessage
      ? html`<p class="saved" role="status">${this.savedMessage}</p>`
      : nothing;
    if (!call || call.state === 'wrapped_up' || call.id === this.loggedCall)
      return saved === nothing ? nothing : html`<section>${saved}</section>`;
    const live = call.state === 'ringing' || call.state === 'connected';
    if (live && !this.opened)
      return html`<section>
        <button @click=${() => {
          this.opened = true;
        }}>${t('wrapUp.now')}</button>
      </section>`;
    return html`<section aria-labelledby="wrap-up-title">
      <h3 id="wrap-up-title">${t('wrapUp.title')}</h3>
      ${this.renderTimes(call)}
      <form @submit=${this.logCall} @input=${this.onInput} @change=${this.onChange} novalidate>
        ${this.renderCase()}
        <label>
          ${t('wrapUp.disposition')}
          <select name="disposition" required .value=${this.fields.disposition}>
            <option value="" ?selected=${this.fields.disposition === ''}>${t('wrapUp.choose')}</option>
            ${this.dispositions.map(
              (d) =>
                html`<option value=${d.code} ?selected=${this.fields.disposition === d.code}>
                  ${this.dispositionLabel(d)}
                </option>`,
            )}
          </select>
        </label>
        <label>
          ${t('wrapUp.notes')}
          <textarea name="notes" maxlength=${MAX_NOTES} .value=${this.fields.notes}></textarea>
        </label>
        <label>
          ${t('wrapUp.followUp')}
          <input type="date" name="followUpOn" .value=${this.fields.followUpOn} />
        </label>
        ${this.renderManagerChoice()}
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.saving} aria-busy=${this.saving}>
            ${this.saving ? t('wrapUp.saving') : t('wrapUp.log')}
          </button>
        </div>
      </form>
    </section>`;
  }

  protected override updated(): void {
    // A select's value binds before its options exist; set it again once they do.
    for (const name of ['disposition', 'caseId'] as const) {
      const select = this.renderRoot.querySelector<HTMLSelectElement>(`select[name="${name}"]`);
      if (select && select.value !== this.fields[name]) select.value = this.fields[name];
    }
  }

  private dispositionLabel(disposition: Disposition): string {
    return dispositionLabel(disposition, this.translator);
  }

  private renderTimes(call: CallSession) {
    const { t, locale } = this.translator;
    const time = (iso: string | undefined) =>
      iso
        ? new Date(iso).toLocaleTimeString(locale, {
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          })
        : '—';
    const seconds = talkSeconds(call, new Date());
    const record = this.match
      ? `${profileName(this.match.profile) ?? this.match.profile.id} (${this.match.profile.source})`
      : t('wrapUp.noRecord');
    return html`<dl>
      <dt>${t('wrapUp.record')}</dt><dd>${record}</dd>
      <dt>${t('wrapUp.rang')}</dt><dd>${time(call.ringingAt)}</dd>
      <dt>${t('wrapUp.answered')}</dt><dd>${time(call.connectedAt)}</dd>
      <dt>${t('wrapUp.ended')}</dt><dd>${call.endedAt ? time(call.endedAt) : t('wrapUp.stillOnCall')}</dd>
      <dt>${t('wrapUp.talkTime')}</dt><dd>${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}</dd>
    </dl>`;
  }

  /** Offered for a known customer only: someone the IVR can recognise next time. */
  private renderManagerChoice() {
    if (!this.match) return nothing;
    const { t } = this.translator;
    const owner = this.match.profile.owner?.name;
    return html`<label class="manager-choice">
        <input
          type="checkbox"
          name="makeMeManager"
          aria-describedby="manager-choice-hint"
          .checked=${this.makeMeManager}
          @change=${(event: Event) => {
            this.makeMeManager = (event.target as HTMLInputElement).checked;
          }}
        />
        ${t('wrapUp.makeMeManager')}
      </label>
      <p class="hint" id="manager-choice-hint">
        ${t('wrapUp.makeMeManagerHint')}
        ${owner ? html`<br />${t('wrapUp.currentManager', { name: owner })}` : nothing}
      </p>`;
  }

  private renderCase() {
    const cases = this.match?.cases ?? [];
    if (cases.length === 0) return nothing;
    const { t } = this.translator;
    return html`<label>
      ${t('wrapUp.case')}
      <select name="caseId" .value=${this.fields.caseId}>
        <option value="" ?selected=${this.fields.caseId === ''}>${t('wrapUp.noCase')}</option>
        ${cases.map(
          (c) =>
            html`<option value=${c.id} ?selected=${this.fields.caseId === c.id}>
              ${c.number ? `${c.number}: ` : ''}${c.title}
            </option>`,
        )}
      </select>
    </label>`;
  }

  private readonly onInput = (event: Event): void => {
    this.readField(event);
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.flushDraft(), DRAFT_DELAY_MS);
  };

  private readonly onChange = (event: Event): void => {
    this.readField(event);
    this.flushDraft();
  };

  private readField(event: Event): void {
    const target = event.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
    const name = target.name as keyof Fields;
    if (!(name in EMPTY)) return;
    this.fields = { ...this.fields, [name]: target.value };
    this.error = null;
  }

  /** Hands the draft to the background now (a pending keystroke save included). */
  private flushDraft(): void {
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    const call = this.call;
    if (!call || !this.backend || this.loadedFor !== call.id || this.saving) return;
    const draft: WrapUpDraft = {
      callId: call.id,
      ...this.fields,
      updatedAt: new Date().toISOString(),
    };
    this.backend.saveDraft(draft).catch(() => {
      this.error = this.translator.t('wrapUp.draftFailed');
    });
  }

  private readonly logCall = async (submit: Event): Promise<void> => {
    submit.preventDefault();
    const call = this.call;
    if (!call || !this.backend || this.saving) return;
    clearTimeout(this.draftTimer);
    this.eventId ??= crypto.randomUUID();
    const event = buildAfterCallEvent({
      id: this.eventId,
      call,
      match: this.match,
      draft: this.fields,
      dispositions: this.dispositions,
      now: new Date(),
      makeMeManager: this.makeMeManager,
    });
    if (event instanceof Error) {
      this.error =
        event instanceof WrapUpProblem
          ? this.translator.t(`wrapUp.problem.${event.field}`, { max: MAX_NOTES })
          : event.message;
      return;
    }
    this.saving = true;
    this.error = null;
    try {
      const result = await this.backend.logCall(event);
      if (!result.saved) {
        this.error = this.translator.t('wrapUp.notSaved', { reason: result.error });
        return;
      }
      this.savedMessage = this.translator.t('wrapUp.saved');
      this.loggedCall = call.id;
      this.opened = false;
      this.fields = EMPTY;
      this.makeMeManager = false;
      this.eventId = null;
      void this.renderRoot.querySelector('cc-outbox-panel')?.refresh();
    } catch {
      // Nothing was confirmed: the same event id is sent again on the next press.
      this.error = this.translator.t('wrapUp.restarting');
    } finally {
      this.saving = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-wrap-up': CcWrapUp;
  }
}
