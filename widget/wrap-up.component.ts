import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  buildAfterCallEvent,
  type Disposition,
  MAX_NOTES,
  type OutboxStatus,
  talkSeconds,
  type WrapUpDraft,
} from '../shared/after-call';
import type { CallSession } from '../shared/call';
import { type Match, profileName } from '../shared/model';
import { downloadJson, failedExportName } from './download';
import { theme } from './theme.styles';
import { wrapUpStyles } from './wrap-up.styles';
import { type WrapUpBackend, WrapUpBackendRequest } from './wrap-up-backend';

/** Typing is saved this long after the last keystroke (a change of field saves at once). */
const DRAFT_DELAY_MS = 300;

type Fields = Pick<WrapUpDraft, 'disposition' | 'notes' | 'followUpOn' | 'caseId'>;
const EMPTY: Fields = { disposition: '', notes: '', followUpOn: '', caseId: '' };

/**
 * After the call: disposition, notes and an optional follow-up date, logged as an after-call
 * event through the background's outbox; and what the outbox still has to send. Shown when the
 * call ends, or on demand during it. An unfinished wrap-up is kept by the background, by call id.
 *
 * The backend comes from the `backend` property or, when unset, from the page, which answers a
 * `cc-wrap-up-backend-request` event.
 *
 * @fires cc-wrap-up-backend-request - when connected without a backend
 * @fires cc-wrap-up-logged - once a logged call is saved
 */
export class CcWrapUp extends LitElement {
  static override styles = [theme, wrapUpStyles];

  /** The call to wrap up; null when there is none. */
  @property({ attribute: false }) call: CallSession | null = null;
  /** The record the call belongs to: the picked match, or null for none. */
  @property({ attribute: false }) match: Match | null = null;
  @property({ attribute: false }) backend: WrapUpBackend | undefined;
  @property() locale: string | undefined = navigator.language;

  @state() private opened = false;
  @state() private fields: Fields = EMPTY;
  @state() private dispositions: Disposition[] = [];
  @state() private loadedFor: string | null = null;
  @state() private saving = false;
  @state() private error: string | null = null;
  @state() private savedMessage: string | null = null;
  /** The call logged here: its form is done even before the background says it is wrapped up. */
  @state() private loggedCall: string | null = null;
  @state() private outbox: OutboxStatus | null = null;
  @state() private outboxError: string | null = null;
  /** Made when "Log call" is first pressed and kept until saved, so a retry is the same event. */
  private eventId: string | null = null;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.backend) {
      const request = new WrapUpBackendRequest();
      this.dispatchEvent(request);
      this.backend = request.backend;
    }
    this.unsubscribe = this.backend?.subscribeOutbox((status) => {
      this.outbox = status;
    });
    void this.refreshOutbox();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.flushDraft();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('call')) return;
    const previous = changed.get('call') as CallSession | null | undefined;
    if (previous?.id === this.call?.id) return;
    this.flushDraft();
    this.opened = false;
    this.fields = EMPTY;
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
      this.error = 'Could not load the wrap-up. Caller Context is restarting; try again.';
      setTimeout(() => {
        if (this.call?.id === callId && this.loadedFor !== callId) void this.load(callId);
      }, 1000);
    }
  }

  private async refreshOutbox(): Promise<void> {
    try {
      this.outbox = (await this.backend?.outboxStatus()) ?? null;
      this.outboxError = null;
    } catch {
      this.outboxError = 'Outbox status unavailable for now.';
    }
  }

  override render() {
    return html`${this.renderWrapUp()}${this.renderOutbox()}`;
  }

  private renderWrapUp() {
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
        }}>Wrap up now</button>
      </section>`;
    return html`<section aria-labelledby="wrap-up-title">
      <h3 id="wrap-up-title">Wrap-up</h3>
      ${this.renderTimes(call)}
      <form @submit=${this.logCall} @input=${this.onInput} @change=${this.onChange} novalidate>
        ${this.renderCase()}
        <label>
          Disposition
          <select name="disposition" required .value=${this.fields.disposition}>
            <option value="" ?selected=${this.fields.disposition === ''}>Choose…</option>
            ${this.dispositions.map(
              (d) =>
                html`<option value=${d.code} ?selected=${this.fields.disposition === d.code}>
                  ${d.label}
                </option>`,
            )}
          </select>
        </label>
        <label>
          Notes
          <textarea name="notes" maxlength=${MAX_NOTES} .value=${this.fields.notes}></textarea>
        </label>
        <label>
          Follow-up date (optional)
          <input type="date" name="followUpOn" .value=${this.fields.followUpOn} />
        </label>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button class="primary" type="submit" ?disabled=${this.saving} aria-busy=${this.saving}>
            ${this.saving ? 'Saving…' : 'Log call'}
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

  private renderTimes(call: CallSession) {
    const time = (iso: string | undefined) =>
      iso
        ? new Date(iso).toLocaleTimeString(this.locale, {
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
          })
        : '—';
    const seconds = talkSeconds(call, new Date());
    const record = this.match
      ? `${profileName(this.match.profile) ?? this.match.profile.id} (${this.match.profile.source})`
      : 'None';
    return html`<dl>
      <dt>Record</dt><dd>${record}</dd>
      <dt>Rang</dt><dd>${time(call.ringingAt)}</dd>
      <dt>Answered</dt><dd>${time(call.connectedAt)}</dd>
      <dt>Ended</dt><dd>${call.endedAt ? time(call.endedAt) : 'on call'}</dd>
      <dt>Talk time</dt><dd>${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}</dd>
    </dl>`;
  }

  private renderCase() {
    const cases = this.match?.cases ?? [];
    if (cases.length === 0) return nothing;
    return html`<label>
      Case
      <select name="caseId" .value=${this.fields.caseId}>
        <option value="" ?selected=${this.fields.caseId === ''}>None</option>
        ${cases.map(
          (c) =>
            html`<option value=${c.id} ?selected=${this.fields.caseId === c.id}>
              ${c.number ? `${c.number}: ` : ''}${c.title}
            </option>`,
        )}
      </select>
    </label>`;
  }

  private renderOutbox() {
    const status = this.outbox;
    if (this.outboxError) return html`<p class="outbox">${this.outboxError}</p>`;
    if (!status) return nothing;
    const retry = status.retryAt
      ? ` Next try at ${new Date(status.retryAt).toLocaleTimeString(this.locale)}${
          status.lastError ? ` (${status.lastError})` : ''
        }.`
      : '';
    return html`<section class="outbox" aria-label="Outbox">
      <p role="status" aria-live="polite">
        Outbox: ${status.pending} pending · ${status.sent} sent ·
        <span class=${status.failed > 0 ? 'failed' : ''}>${status.failed} failed</span>.${retry}
      </p>
      ${
        status.failed > 0
          ? html`<ul aria-label="Failed events">
              ${status.failedEvents.map(
                (f) =>
                  html`<li>${new Date(f.loggedAt).toLocaleString(this.locale)}, ${f.disposition}: ${f.error}</li>`,
              )}
            </ul>
            <div class="actions">
              <button @click=${this.retryFailed}>Retry failed</button>
              <button @click=${this.exportFailed}>Export failed</button>
            </div>`
          : nothing
      }
    </section>`;
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
      this.error = 'Could not keep the draft; it stays on screen. Try again in a moment.';
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
    });
    if (event instanceof Error) {
      this.error = event.message;
      return;
    }
    this.saving = true;
    this.error = null;
    try {
      const result = await this.backend.logCall(event);
      if (!result.saved) {
        this.error = `Not saved: ${result.error}`;
        return;
      }
      this.savedMessage = 'Saved. The call is logged and will be sent.';
      this.loggedCall = call.id;
      this.opened = false;
      this.fields = EMPTY;
      this.eventId = null;
      this.dispatchEvent(new WrapUpLoggedEvent(event.id));
      void this.refreshOutbox();
    } catch {
      // Nothing was confirmed: the same event id is sent again on the next press.
      this.error = 'Not saved yet: Caller Context is restarting. Press Log call again.';
    } finally {
      this.saving = false;
    }
  };

  private readonly retryFailed = async (): Promise<void> => {
    await this.backend?.retryFailed();
    await this.refreshOutbox();
  };

  private readonly exportFailed = async (): Promise<void> => {
    downloadJson(failedExportName(), (await this.backend?.exportFailed()) ?? []);
  };
}

/** The agent logged a call and the background confirmed it is saved. */
export class WrapUpLoggedEvent extends Event {
  static readonly type = 'cc-wrap-up-logged';
  constructor(readonly eventId: string) {
    super(WrapUpLoggedEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-wrap-up': CcWrapUp;
  }
}
