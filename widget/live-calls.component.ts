import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CallSession } from '../shared/call';
import type { LiveCall, LiveCallsResult, MonitorResult, TeamAgent } from '../shared/conversation';
import { ClockController } from './clock.controller';
import { ConversationController } from './conversation.controller';
import type { ConversationBackend, ConversationFeed } from './conversation-backend';
import { duration } from './format';
import { english, type MessageKey, type Translator } from './i18n/catalog';
import { insightText } from './insight-text';
import { liveCallsStyles } from './live-calls.styles';
import { theme } from './theme.styles';

/** What the Live calls page asks of the background. */
export interface LiveCallsApi {
  list(): Promise<LiveCallsResult>;
  monitor(conversationId: string): Promise<MonitorResult>;
}

/** The list is asked again this often while it shows. */
export const LIST_EVERY_MS = 5000;

/**
 * The supervisors' "Live calls" (README, "Supervisors"): the team's agents with their presence,
 * and each call going on with the caller's name, tier, time on call and the reading of their
 * activity the agent sees. "Listen in" opens the call's sidebar as the agent sees it, with its
 * notes, as a monitoring participant who may add notes. A token without the supervisor role is
 * told so, and sees nothing else.
 */
export class CcLiveCalls extends LitElement {
  static override styles = [theme, liveCallsStyles];

  @property({ attribute: false }) api: LiveCallsApi | undefined;
  @property({ attribute: false }) conversations: ConversationFeed | undefined;
  /** Notes from the supervisor listening in, handed down to the call's sidebar. */
  @property({ attribute: false }) conversationBackend: ConversationBackend | undefined;
  @property({ attribute: false }) translator: Translator = english;

  @state() private result: LiveCallsResult | null = null;
  @state() private listening: CallSession | null = null;
  @state() private opening: string | null = null;
  @state() private openError: string | null = null;
  private conversation: ConversationController | undefined;
  private readonly clock = new ClockController(this);
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.conversations && !this.conversation)
      this.conversation = new ConversationController(this, this.conversations);
    void this.refresh();
    this.timer = setInterval(() => {
      if (!this.listening) void this.refresh();
    }, LIST_EVERY_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  protected override willUpdate(): void {
    this.conversation?.show(this.listening);
  }

  async refresh(): Promise<void> {
    if (!this.api) return;
    this.result = await this.api
      .list()
      .catch((error: unknown): LiveCallsResult => ({ ok: false, error: String(error) }));
  }

  override render() {
    const { t } = this.translator;
    if (this.listening)
      return html`<nav aria-label=${t('liveCalls.title')}>
          <button type="button" class="back" @click=${this.back}>${t('liveCalls.back')}</button>
        </nav>
        <cc-sidebar
          .call=${this.listening}
          .loaded=${true}
          .monitoring=${true}
          .conversation=${this.conversation?.state ?? null}
          .conversationBackend=${this.conversationBackend}
          .translator=${this.translator}
        ></cc-sidebar>`;
    return html`<header><h1>${t('liveCalls.title')}</h1></header>
      <main aria-busy=${this.result ? 'false' : 'true'}>${this.renderList()}</main>`;
  }

  private renderList() {
    const { t } = this.translator;
    const result = this.result;
    if (!result) return html`<p class="hint">${t('loading')}</p>`;
    if (!result.ok) {
      const key: MessageKey =
        result.reason === 'not_supervisor'
          ? 'liveCalls.notSupervisor'
          : result.reason === 'no_agent'
            ? 'liveCalls.noAgent'
            : 'liveCalls.failed';
      return html`<p class="notice" role="alert">${t(key)}</p>`;
    }
    const { agents, calls } = result.live;
    return html`
      ${this.openError ? html`<p class="notice" role="alert">${this.openError}</p>` : nothing}
      <section aria-labelledby="calls-title">
        <h2 id="calls-title">${t('liveCalls.calls')}</h2>
        ${calls.length === 0 ? html`<p class="hint">${t('liveCalls.none')}</p>` : this.callsTable(calls)}
      </section>
      <section aria-labelledby="team-title">
        <h2 id="team-title">${t('liveCalls.team')}</h2>
        ${this.teamTable(agents)}
      </section>
    `;
  }

  private callsTable(calls: LiveCall[]) {
    const { t } = this.translator;
    return html`<table aria-labelledby="calls-title">
      <thead>
        <tr>
          <th scope="col">${t('liveCalls.caller')}</th>
          <th scope="col">${t('liveCalls.tier')}</th>
          <th scope="col">${t('liveCalls.time')}</th>
          <th scope="col">${t('liveCalls.insight')}</th>
          <th scope="col">${t('liveCalls.agents')}</th>
        </tr>
      </thead>
      <tbody>
        ${calls.map((call) => {
          const name =
            call.summary?.name ?? call.picked?.name ?? call.identity?.replace(/^[a-z]+:/, '');
          const label = name ?? t('liveCalls.unknownCaller');
          const insight = call.summary?.insights[0];
          return html`<tr>
            <th scope="row">
              <button
                type="button"
                class="listen"
                aria-label=${t('liveCalls.listenTo', { name: label })}
                ?disabled=${this.opening !== null}
                @click=${() => this.listen(call)}
              >
                ${label}
              </button>
            </th>
            <td>${call.summary?.tier ?? ''}</td>
            <td>${duration(call.summary?.since ?? call.startedAt, this.clock.now)}</td>
            <td>${insight ? insightText(insight, this.clock.now, this.translator) : ''}</td>
            <td>
              ${call.agents
                .map((a) =>
                  a.role === 'monitor' ? t('conversation.listening', { name: a.name }) : a.name,
                )
                .join(', ')}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }

  private teamTable(agents: TeamAgent[]) {
    const { t } = this.translator;
    return html`<table aria-labelledby="team-title">
      <thead>
        <tr>
          <th scope="col">${t('liveCalls.agent')}</th>
          <th scope="col">${t('liveCalls.state')}</th>
        </tr>
      </thead>
      <tbody>
        ${agents.map(
          (agent) => html`<tr>
            <th scope="row">
              ${agent.name}
              ${agent.supervisor ? html`<span class="tag">${t('liveCalls.supervisor')}</span>` : nothing}
            </th>
            <td><span class="state ${agent.state}">${t(`presence.${agent.state}`)}</span></td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private async listen(call: LiveCall): Promise<void> {
    if (!this.api) return;
    this.opening = call.id;
    this.openError = null;
    const result = await this.api
      .monitor(call.id)
      .catch((error: unknown): MonitorResult => ({ ok: false, error: String(error) }));
    this.opening = null;
    if (!result.ok) {
      this.openError = this.translator.t('liveCalls.failed');
      return;
    }
    this.listening = result.session;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.back')?.focus();
  }

  private back = async (): Promise<void> => {
    this.listening = null;
    await this.refresh();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('button.listen')?.focus();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-live-calls': CcLiveCalls;
  }
}
