import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallSession } from '../shared/call';
import type { ConsentMasking } from '../shared/config';
import { activityDenied } from '../shared/consent';
import type { ConversationState } from '../shared/conversation';
import { type CrmActions, crmActionUrl } from '../shared/crm-actions';
import { type Insight, readInsights } from '../shared/insights';
import {
  type ActivityEvent,
  type CallerContext,
  type Case,
  type Match,
  profileName,
} from '../shared/model';
import type { Problem } from '../shared/problem';
import { ClockController } from './clock.controller';
import type { ConversationBackend } from './conversation-backend';
import { duration, relativeTime } from './format';
import { english, type Translator } from './i18n/catalog';
import { insightText } from './insight-text';
import { crmLink } from './open-in-crm.event';
import type { OutboxApi } from './outbox-panel.component';
import { PickMatchEvent } from './pick-match.event';
import { problemText } from './problem-text';
import { RetryLookupEvent } from './retry-lookup.event';
import { sidebarStyles } from './sidebar.styles';
import { theme } from './theme.styles';
import type { WaitingCallsSource } from './waiting-calls.component';
import type { WrapUpBackend } from './wrap-up-backend';

/**
 * The sidebar: the current call, who is calling and what they just did online.
 * @slot header-start - controls at the start of the header (the frame's resize edge)
 * @slot header-end - controls at the end of the header (the frame's collapse button)
 * Shows nothing as fact when several customers match until the agent picks one.
 */
export class CcSidebar extends LitElement {
  static override styles = [theme, sidebarStyles];

  /** The call to show; null when there is none. */
  @property({ attribute: false }) call: CallSession | null = null;
  /** False until the first answer from the background: shows a skeleton. */
  @property({ type: Boolean }) loaded = false;
  /** A problem reaching the background, shown above everything. */
  @property() notice: string | null = null;
  /** The agent's language (from the browser's) and the locale numbers and times use. */
  @property({ attribute: false }) translator: Translator = english;
  /** Withheld activity (no consent): counted (`mask`) or left out (`hide`), config `consentMasking`. */
  @property() consentMasking: ConsentMasking = 'mask';
  /** The CRM's own pages the sidebar may link to (config `crmActions`). */
  @property({ attribute: false }) crmActions: CrmActions = {};
  /** Why live activity updates are failing, shown as a small notice. */
  @property() liveError: string | null = null;
  /** The call's conversation shared with colleagues (README, "Conversations"), once joined. */
  @property({ attribute: false }) conversation: ConversationState | null = null;
  /** A supervisor listening in: no wrap-up, no picking, no waiting calls of their own. */
  @property({ type: Boolean }) monitoring = false;
  /** What the parts below need from the background, handed down from the page's root element. */
  @property({ attribute: false }) wrapUp: WrapUpBackend | undefined;
  @property({ attribute: false }) outbox: OutboxApi | undefined;
  @property({ attribute: false }) conversationBackend: ConversationBackend | undefined;
  @property({ attribute: false }) waitingCalls: WaitingCallsSource | undefined;

  @state() private picked: number | null = null;
  /** The agent asked to pick again a customer the previous agent picked. */
  @state() private changingPick = false;
  private readonly clock = new ClockController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('call') as CallSession | null | undefined;
    if (changed.has('call') && previous?.id !== this.call?.id) {
      this.picked = null;
      this.changingPick = false;
    }
  }

  override render() {
    const call = this.call;
    return html`
      <header>
        <slot name="header-start"></slot>
        <h1 class="brand">Caller Context</h1>
        ${
          call
            ? html`<span class="state ${call.state}" role="status">${this.translator.t(`state.${call.state}`)}</span>`
            : nothing
        }
        <slot name="header-end"></slot>
      </header>
      <main aria-busy=${this.loaded && call?.lookup.status !== 'pending' ? 'false' : 'true'}>
        ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
        ${this.monitoring ? nothing : html`<cc-waiting-calls .call=${call} .source=${this.waitingCalls} .translator=${this.translator}></cc-waiting-calls>`}
        ${!this.loaded ? this.skeleton() : call ? this.renderCall(call) : this.idle()}
        ${this.loaded && !this.monitoring ? html`<cc-wrap-up .call=${call} .match=${this.currentMatch(call)} .backend=${this.wrapUp} .outbox=${this.outbox} .translator=${this.translator}></cc-wrap-up>` : nothing}
      </main>
    `;
  }

  /** The record the call belongs to: its only match, or the one the agent picked. */
  private currentMatch(call: CallSession | null): Match | null {
    if (call?.lookup.status !== 'done') return null;
    const matches = call.lookup.context.matches;
    if (matches.length === 1) return matches[0] ?? null;
    const picked = this.pickedIndex(call);
    return (picked === null ? undefined : matches[picked]) ?? null;
  }

  private idle() {
    return html`<p class="idle">${this.translator.t('idle')}</p>`;
  }

  private skeleton() {
    return html`<div class="skeleton" aria-label=${this.translator.t('loading')}><span></span><span></span><span></span></div>`;
  }

  private renderCall(call: CallSession) {
    const since = call.connectedAt ?? call.ringingAt;
    const live = call.state === 'ringing' || call.state === 'connected';
    return html`
      <div class="number">
        <span aria-label=${this.translator.t('callerNumber')}>${call.rawNumber}</span>
        ${live ? html`<span aria-label=${this.translator.t('callTime')}>${duration(since, this.clock.now)}</span>` : nothing}
      </div>
      <cc-handoff-note
        .state=${this.conversation}
        .call=${call}
        .translator=${this.translator}
      ></cc-handoff-note>
      ${this.renderLookup(call)}
      <cc-conversation
        .state=${this.conversation}
        .call=${call}
        .backend=${this.conversationBackend}
        .translator=${this.translator}
        ?monitoring=${this.monitoring}
      ></cc-conversation>
    `;
  }

  private renderLookup(call: CallSession) {
    const lookup = call.lookup;
    if (lookup.status === 'pending') return this.skeleton();
    if (lookup.status === 'failed')
      return html`<p class="notice error" role="alert">
        ${this.failure(lookup)} ${this.retryButton(call)}
      </p>`;
    return this.renderContext(lookup.context, call);
  }

  /**
   * Why the lookup failed, in the agent's language where the background gave its code. A text
   * without one (a number that cannot be read, a connector's own words) comes after a lead-in in
   * the agent's language, marked as English for screen readers.
   */
  private failure(lookup: { message: string; problem?: Problem }) {
    const { t, language } = this.translator;
    if (lookup.problem) return problemText(lookup.problem, this.translator);
    if (language === 'en') return lookup.message;
    return html`${t('lookupFailed')} <span lang="en">${lookup.message}</span>`;
  }

  /** Re-runs the lookup; the sidebar shows progress until the new answer is in. */
  private retryButton(call: CallSession) {
    return html`<button
      type="button"
      class="retry"
      @click=${() => this.dispatchEvent(new RetryLookupEvent(call.id))}
    >
      ${this.translator.t('retry')}
    </button>`;
  }

  private renderContext(context: CallerContext, call: CallSession) {
    // A failing source is a small notice with a retry; the others' answers still show. Its
    // message is the gateway connector's own English, marked so for screen readers.
    const errors = context.errors.map(
      (e) => html`<p class="notice source-error" role="status">
        <span>${e.source}: <span lang="en">${e.message}</span></span> ${this.retryButton(call)}
      </p>`,
    );
    if (context.matches.length === 0)
      return html`${errors}
        <div class="unknown">
          <strong>${this.translator.t('unknownTitle')}</strong>${this.translator.t('unknownBody')}
        </div>
        <cc-verbal-consent .call=${call} .translator=${this.translator}></cc-verbal-consent>
        ${call.verbalConsent?.state === 'given' ? this.anonymousActivity(context) : nothing}
        ${this.unknownCallerActions(context)}`;
    const single = context.matches.length === 1 ? context.matches[0] : undefined;
    const picked = this.pickedIndex(call);
    const match = single ?? (picked === null ? undefined : context.matches[picked]);
    return html`
      ${errors}
      ${single ? nothing : (this.pickedElsewhere(call) ?? this.picker(context.matches, call))}
      ${match ? this.renderMatch(match, context.fetchedAt, call.id) : nothing}
    `;
  }

  /**
   * What an anonymous caller who agreed on the phone did on the site under this number, kept up
   * to date during the call like a known caller's. A skeleton until the first answer is in.
   * Its heading is an h2: no caller's name heads this view, and levels must not skip (axe).
   */
  private anonymousActivity(context: CallerContext) {
    const { t, locale } = this.translator;
    return html`<section aria-labelledby="anonymous-activity-title">
      <h2 id="anonymous-activity-title" class="label">${t('anonymousActivityTitle')}</h2>
      ${
        context.activity
          ? html`<p class="freshness">
                ${t('updated')} <time datetime=${context.fetchedAt}>${relativeTime(context.fetchedAt, this.clock.now, locale)}</time>
              </p>
              ${this.liveError ? html`<p class="notice" role="status">${this.liveError}</p>` : nothing}
              <cc-activity-list
                .events=${context.activity.slice(0, 20)}
                .now=${this.clock.now}
                .translator=${this.translator}
              ></cc-activity-list>`
          : this.skeleton()
      }
    </section>`;
  }

  /** What the agent can do in the CRM about a number no customer has, as far as its URLs allow. */
  private unknownCallerActions(context: CallerContext) {
    const phone = context.identity.namespace === 'phone' ? context.identity.value : undefined;
    const links = [
      {
        label: this.translator.t('searchCrm'),
        url: crmActionUrl(this.crmActions.search, { phone }),
      },
      {
        label: this.translator.t('createContact'),
        url: crmActionUrl(this.crmActions.createContact, { phone }),
      },
      {
        label: this.translator.t('createCase'),
        url: crmActionUrl(this.crmActions.createCase, { phone }),
      },
    ].filter((link): link is { label: string; url: string } => link.url !== undefined);
    if (links.length === 0) return nothing;
    return html`<div class="actions">${links.map((link) => crmLink(this, link.url, link.label))}</div>`;
  }

  private caseUrl(item: Case): string | undefined {
    return item.url ?? crmActionUrl(this.crmActions.openCase, { id: item.id, number: item.number });
  }

  /** The agent's pick here, else the one kept with the call (a reload, the other sidebar). */
  private pickedIndex(call: CallSession | null): number | null {
    if (this.picked !== null) return this.picked;
    if (call?.lookup.status !== 'done' || !call.pickedProfileId) return null;
    const index = call.lookup.context.matches.findIndex(
      (m) => m.profile.id === call.pickedProfileId,
    );
    return index >= 0 ? index : null;
  }

  /**
   * In place of the picker, where someone else on the call already picked the customer (the
   * agent before a transfer) and this call has taken the pick over: who picked, and a way to
   * pick again. A supervisor listening in only sees who picked. Undefined: show the picker.
   */
  private pickedElsewhere(call: CallSession) {
    const answer = this.conversation?.answer;
    const picked = answer?.conversation.picked;
    const foreign = picked && picked.by.key !== answer.you.key;
    if (this.monitoring)
      return picked
        ? html`<p class="picked-by">${this.translator.t('conversation.pickedBy', { name: picked.by.name })}</p>`
        : html``;
    if (!foreign || this.changingPick || call.pickedProfileId !== picked.profileId)
      return undefined;
    return html`<p class="picked-by">
      ${this.translator.t('conversation.pickedBy', { name: picked.by.name })}
      <button type="button" class="retry" @click=${() => {
        this.changingPick = true;
      }}>
        ${this.translator.t('conversation.changePick')}
      </button>
    </p>`;
  }

  private picker(matches: Match[], call: CallSession) {
    const picked = this.pickedIndex(call);
    return html`<section aria-labelledby="picker-title">
      <h2 id="picker-title" class="label">${this.translator.t('pickerTitle', { count: matches.length })}</h2>
      <div class="picker">
        ${matches.map(
          (m, i) =>
            html`<button
              aria-pressed=${picked === i ? 'true' : 'false'}
              @click=${() => {
                this.picked = i;
                // The background follows this customer's live activity from now on.
                this.dispatchEvent(new PickMatchEvent(call.id, m.profile.id));
              }}
            >
              ${profileName(m.profile) ?? m.profile.id}
            </button>`,
        )}
      </div>
    </section>`;
  }

  private contactLink(match: Match) {
    const url = crmActionUrl(this.crmActions.openContact, { id: match.profile.id });
    return url
      ? html`<div class="actions">${crmLink(this, url, this.translator.t('openContact'))}</div>`
      : nothing;
  }

  private caseTitle(item: Case) {
    const text = `${item.number ? `${item.number}: ` : ''}${item.title}`;
    const url = this.caseUrl(item);
    return url ? crmLink(this, url, text) : text;
  }

  /** A reading of the activity, which opens to the events it rests on: the agent can check it. */
  private insight(insight: Insight, activity: readonly ActivityEvent[]) {
    const ids = new Set(insight.events);
    return html`<li>
      <details>
        <summary>${insightText(insight, this.clock.now, this.translator)}</summary>
        <cc-activity-list
          .events=${activity.filter((event) => ids.has(event.id))}
          .now=${this.clock.now}
          .translator=${this.translator}
          .label=${this.translator.t('insightEvidence')}
        ></cc-activity-list>
      </details>
    </li>`;
  }

  private renderMatch(match: Match, fetchedAt: string, callId: string) {
    const latest = match.cases[0];
    // No personalisation consent: what the customer did online is not shown to the agent.
    const withheld = activityDenied(match);
    const insights = withheld ? [] : readInsights(match.activity, this.clock.now);
    const { t, locale } = this.translator;
    return html`
      <cc-caller-card .match=${match} .callId=${callId} .translator=${this.translator}></cc-caller-card>
      ${this.contactLink(match)}
      ${
        latest
          ? html`<section aria-labelledby="case-title">
            <h3 id="case-title">${t('latestCase')}</h3>
            <div class="case">
              <div>${this.caseTitle(latest)}</div>
              ${latest.status ? html`<div class="status">${latest.status}</div>` : nothing}
            </div>
          </section>`
          : nothing
      }
      ${
        withheld && this.consentMasking === 'hide'
          ? nothing
          : html`<cc-recent-contacts
              .contacts=${match.contacts ?? []}
              .cases=${match.cases}
              .denied=${withheld}
              .withheld=${match.withheldContacts ?? 0}
              .now=${this.clock.now}
              .translator=${this.translator}
            ></cc-recent-contacts>`
      }
      ${
        insights.length > 0
          ? html`<section aria-labelledby="insight-title">
            <h3 id="insight-title">${t('insightsTitle')}</h3>
            <ul class="insights">
              ${insights.map((i) => this.insight(i, match.activity))}
            </ul>
          </section>`
          : nothing
      }
      ${
        withheld && this.consentMasking === 'hide'
          ? nothing
          : html`<section aria-labelledby="activity-title">
        <h3 id="activity-title">${t('activityTitle')}</h3>
        ${
          withheld
            ? html`<p class="withheld">
                ${t('activityWithheld')}
                ${match.withheldActivity ? t('eventsHidden', { count: match.withheldActivity }) : nothing}
              </p>`
            : html`<p class="freshness">
                ${t('updated')} <time datetime=${fetchedAt}>${relativeTime(fetchedAt, this.clock.now, locale)}</time>
              </p>
              ${this.liveError ? html`<p class="notice" role="status">${this.liveError}</p>` : nothing}
              <cc-activity-list
                .events=${match.activity.slice(0, 20)}
                .now=${this.clock.now}
                .translator=${this.translator}
              ></cc-activity-list>`
        }
      </section>`
      }
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-sidebar': CcSidebar;
  }
}
