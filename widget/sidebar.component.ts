import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallSession } from '../shared/call';
import { readInsights } from '../shared/insights';
import { type CallerContext, type Match, profileName } from '../shared/model';
import { ClockController } from './clock.controller';
import { duration, relativeTime } from './format';
import { insightText } from './insight-text';
import { sidebarStyles } from './sidebar.styles';
import { theme } from './theme.styles';

const STATE_LABELS: Record<CallSession['state'], string> = {
  ringing: 'Ringing',
  connected: 'On call',
  ended: 'Call ended',
  wrapped_up: 'Wrapped up',
};

/**
 * The sidebar: the current call, who is calling and what they just did online.
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
  @property() locale: string | undefined = navigator.language;
  /** Why live activity updates are failing, shown as a small notice. */
  @property() liveError: string | null = null;

  @state() private picked: number | null = null;
  private readonly clock = new ClockController(this);

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('call') as CallSession | null | undefined;
    if (changed.has('call') && previous?.id !== this.call?.id) this.picked = null;
  }

  override render() {
    const call = this.call;
    return html`
      <header>
        <h1 class="brand">Caller Context</h1>
        ${
          call
            ? html`<span class="state ${call.state}" role="status">${STATE_LABELS[call.state]}</span>`
            : nothing
        }
      </header>
      <main aria-busy=${this.loaded && call?.lookup.status !== 'pending' ? 'false' : 'true'}>
        ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
        <cc-waiting-calls .call=${call}></cc-waiting-calls>
        ${!this.loaded ? this.skeleton() : call ? this.renderCall(call) : this.idle()}
        ${this.loaded ? html`<cc-wrap-up .call=${call} .match=${this.currentMatch(call)}></cc-wrap-up>` : nothing}
      </main>
    `;
  }

  /** The record the call belongs to: its only match, or the one the agent picked. */
  private currentMatch(call: CallSession | null): Match | null {
    if (call?.lookup.status !== 'done') return null;
    const matches = call.lookup.context.matches;
    if (matches.length === 1) return matches[0] ?? null;
    return (this.picked === null ? undefined : matches[this.picked]) ?? null;
  }

  private idle() {
    return html`<p class="idle">Waiting for a call.</p>`;
  }

  private skeleton() {
    return html`<div class="skeleton" aria-label="Loading"><span></span><span></span><span></span></div>`;
  }

  private renderCall(call: CallSession) {
    const since = call.connectedAt ?? call.ringingAt;
    const live = call.state === 'ringing' || call.state === 'connected';
    return html`
      <div class="number">
        <span aria-label="Caller's number">${call.rawNumber}</span>
        ${live ? html`<span aria-label="Call time">${duration(since, this.clock.now)}</span>` : nothing}
      </div>
      ${this.renderLookup(call)}
    `;
  }

  private renderLookup(call: CallSession) {
    const lookup = call.lookup;
    if (lookup.status === 'pending') return this.skeleton();
    if (lookup.status === 'failed')
      return html`<p class="notice error" role="alert">${lookup.message}</p>`;
    return this.renderContext(lookup.context);
  }

  private renderContext(context: CallerContext) {
    const errors = context.errors.map(
      (e) => html`<p class="notice" role="status">${e.source}: ${e.message}</p>`,
    );
    if (context.matches.length === 0)
      return html`${errors}
        <div class="unknown">
          <strong>Unknown caller</strong>No customer has this number.
        </div>`;
    const single = context.matches.length === 1 ? context.matches[0] : undefined;
    const match = single ?? (this.picked === null ? undefined : context.matches[this.picked]);
    return html`
      ${errors}
      ${single ? nothing : this.picker(context.matches)}
      ${match ? this.renderMatch(match, context.fetchedAt) : nothing}
    `;
  }

  private picker(matches: Match[]) {
    return html`<section aria-labelledby="picker-title">
      <h3 id="picker-title">${matches.length} customers share this number: who is it?</h3>
      <div class="picker">
        ${matches.map(
          (m, i) =>
            html`<button
              aria-pressed=${this.picked === i ? 'true' : 'false'}
              @click=${() => {
                this.picked = i;
              }}
            >
              ${profileName(m.profile) ?? m.profile.id}
            </button>`,
        )}
      </div>
    </section>`;
  }

  private renderMatch(match: Match, fetchedAt: string) {
    const latest = match.cases[0];
    // No personalisation consent: what the customer did online is not shown to the agent.
    const withheld = match.profile.consent?.personalisation === 'denied';
    const insights = withheld ? [] : readInsights(match.activity, this.clock.now);
    return html`
      <cc-caller-card .match=${match} .locale=${this.locale}></cc-caller-card>
      ${
        latest
          ? html`<section aria-labelledby="case-title">
            <h3 id="case-title">Latest case</h3>
            <div class="case">
              <div>${latest.number ? `${latest.number}: ` : ''}${latest.title}</div>
              ${latest.status ? html`<div class="status">${latest.status}</div>` : nothing}
            </div>
          </section>`
          : nothing
      }
      ${
        insights.length > 0
          ? html`<section aria-labelledby="insight-title">
            <h3 id="insight-title">Why they may be calling</h3>
            <ul class="insights">
              ${insights.map((i) => html`<li>${insightText(i, this.clock.now, this.locale)}</li>`)}
            </ul>
          </section>`
          : nothing
      }
      <section aria-labelledby="activity-title">
        <h3 id="activity-title">On the website</h3>
        ${
          withheld
            ? html`<p class="withheld">
              Not shown: the customer has not consented to personalisation.
            </p>`
            : html`<p class="freshness">
                Updated <time datetime=${fetchedAt}>${relativeTime(fetchedAt, this.clock.now, this.locale)}</time>
              </p>
              ${this.liveError ? html`<p class="notice" role="status">${this.liveError}</p>` : nothing}
              <cc-activity-list
                .events=${match.activity.slice(0, 20)}
                .now=${this.clock.now}
                .locale=${this.locale}
              ></cc-activity-list>`
        }
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-sidebar': CcSidebar;
  }
}
