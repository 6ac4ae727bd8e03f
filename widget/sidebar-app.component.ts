import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConsentMasking } from '../shared/config';
import type { CrmActions } from '../shared/crm-actions';
import {
  clampFrameWidth,
  type FrameLayout,
  MAX_FRAME_WIDTH,
  MIN_FRAME_WIDTH,
} from '../shared/frame-host';
import { type CallFeed, CallFeedController } from './call-feed.controller';
import { ConversationController } from './conversation.controller';
import type { ConversationBackend, ConversationFeed } from './conversation-backend';
import type { FrameControls } from './frame-controls';
import { english, type Translator } from './i18n/catalog';
import { LiveActivityController, type LiveError } from './live-activity.controller';
import type { OpenInCrmEvent } from './open-in-crm.event';
import type { OutboxApi } from './outbox-panel.component';
import type { PickMatchEvent } from './pick-match.event';
import { problemText } from './problem-text';
import type { RetryLookupEvent } from './retry-lookup.event';
import { sidebarAppStyles } from './sidebar-app.styles';
import { theme } from './theme.styles';
import type { VerbalConsentEvent } from './verbal-consent.event';
import type { WaitingCallsSource } from './waiting-calls.component';
import type { WrapUpBackend } from './wrap-up-backend';

/** One arrow key press moves the sidebar's edge this far; with Shift, four times as far. */
const RESIZE_STEP = 16;

/**
 * The sidebar page's root: keeps `cc-sidebar` fed with the current call from a `CallFeed`, and
 * hands down what the parts below need from the background, as properties (docs/architecture.md,
 * "The widget": one way in, no lookups from inside the tree).
 * In a CRM tab it also collapses the frame to a slim tab and resizes it (drag the left edge or
 * use the arrow keys on it), through the content script that mounted the frame.
 * Set `feed` before the element is connected.
 */
export class CcSidebarApp extends LitElement {
  static override styles = [theme, sidebarAppStyles];

  @property({ attribute: false }) feed: CallFeed | undefined;
  /** The agent's language; the page picks it from the browser's (`navigator.languages`). */
  @property({ attribute: false }) translator: Translator = english;
  /** The frame's host in the CRM tab; unset in the side panel, which the browser sizes. */
  @property({ attribute: false }) frame: FrameControls | undefined;
  /** The call's conversation with colleagues (README, "Conversations"); set before connecting. */
  @property({ attribute: false }) conversations: ConversationFeed | undefined;
  /** Notes and "Hand over" (the background's messages; a fake in tests). */
  @property({ attribute: false }) conversationBackend: ConversationBackend | undefined;
  /** The wrap-up's drafts and its logging. */
  @property({ attribute: false }) wrapUp: WrapUpBackend | undefined;
  /** The after-call outbox shown below the wrap-up. */
  @property({ attribute: false }) outbox: OutboxApi | undefined;
  /** The calls ringing while the agent is on one. */
  @property({ attribute: false }) waitingCalls: WaitingCallsSource | undefined;

  @state() private layout: FrameLayout | null = null;
  @state() private crmActions: CrmActions = {};
  @state() private consentMasking: ConsentMasking = 'mask';
  private controller: CallFeedController | undefined;
  private live: LiveActivityController | undefined;
  private conversation: ConversationController | undefined;
  private drag: { pointerId: number; startX: number; startWidth: number } | null = null;
  private pendingWidth: number | null = null;

  override connectedCallback(): void {
    const feed = this.feed;
    if (!this.controller && feed) {
      this.controller = new CallFeedController(this, feed);
      feed
        .settings?.()
        .then((settings) => {
          this.crmActions = settings.crmActions;
          this.consentMasking = settings.consentMasking;
        })
        // Without settings the sidebar still shows the caller, only without CRM links.
        .catch(() => {});
      if (feed.refreshActivity)
        this.live = new LiveActivityController(this, (id) =>
          feed.refreshActivity ? feed.refreshActivity(id) : Promise.resolve({ ok: true }),
        );
      if (this.conversations)
        this.conversation = new ConversationController(this, this.conversations);
    }
    super.connectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.live?.follow(this.controller?.call ?? null);
    this.conversation?.show(this.controller?.call ?? null);
    if (changed.has('frame') && this.frame)
      void Promise.resolve(this.frame.layout()).then((layout) => {
        this.layout = layout;
      });
  }

  override render() {
    const c = this.controller;
    const { t } = this.translator;
    if (this.frame && this.layout?.collapsed) {
      const ringing = c?.call?.state === 'ringing';
      // Even collapsed, the frame is a page of its own: one heading and one landmark (axe).
      return html`<main>
        <h1 class="visually-hidden">Caller Context</h1>
        <button class="tab" aria-expanded="false" @click=${() => this.change({ collapsed: false })}>
          ${ringing ? html`<span class="dot" aria-hidden="true"></span>` : nothing}
          <span>${t('expand')}</span>
          ${ringing ? html`<span class="visually-hidden">${t('state.ringing')}</span>` : nothing}
        </button>
      </main>`;
    }
    return html`<cc-sidebar
        .call=${c?.call ?? null}
        .loaded=${c?.loaded ?? false}
        .notice=${c?.restarting ? t('restarting') : null}
        .liveError=${this.liveErrorText(this.live?.error ?? null)}
        .translator=${this.translator}
        .crmActions=${this.crmActions}
        .consentMasking=${this.consentMasking}
        .conversation=${this.conversation?.state ?? null}
        .wrapUp=${this.wrapUp}
        .outbox=${this.outbox}
        .conversationBackend=${this.conversationBackend}
        .waitingCalls=${this.waitingCalls}
        @cc-open-in-crm=${this.onOpenInCrm}
        @cc-retry-lookup=${this.onRetryLookup}
        @cc-pick-match=${this.onPickMatch}
        @cc-verbal-consent=${this.onVerbalConsent}
      >
        ${this.frame && this.layout ? this.resizeHandle(this.layout) : nothing}
        ${
          this.frame
            ? html`<button
              slot="header-end"
              class="collapse"
              aria-expanded="true"
              aria-label=${t('collapse')}
              title=${t('collapse')}
              @click=${() => this.change({ collapsed: true })}
            >
              »
            </button>`
            : nothing
        }
      </cc-sidebar>`;
  }

  /** Why live updates stopped, in the agent's language (the background's own text in English). */
  private liveErrorText(error: LiveError | null): string | null {
    if (!error) return null;
    const { t, language } = this.translator;
    if (error.kind === 'restarting') return t('live.paused');
    if (error.problem) return problemText(error.problem, this.translator);
    return language === 'en' && error.message ? error.message : t('live.failed');
  }

  // In a CRM tab the record opens in that tab (a screen pop); in the side panel, as a link.
  private onOpenInCrm = (event: OpenInCrmEvent): void => {
    if (!this.frame) return;
    event.preventDefault();
    void this.frame.open(event.url);
  };

  private onRetryLookup = (event: RetryLookupEvent): void => {
    // The new state (pending, then the answer) arrives through the feed like any change.
    void this.feed?.retryLookup?.(event.callId).catch(() => {});
  };

  private onPickMatch = (event: PickMatchEvent): void => {
    const { callId, profileId } = event;
    void this.feed
      ?.pickMatch?.(callId, profileId)
      // Kept with the call first; then the colleagues on it (and the next agent) see it.
      .then((picked) =>
        picked.ok ? this.conversations?.sharePick?.(callId, profileId) : undefined,
      )
      .catch(() => {});
  };

  // The component shows whether the answer was kept; the call's new state arrives by the feed.
  private onVerbalConsent = (event: VerbalConsentEvent): void => {
    event.recorded = this.feed?.recordVerbalConsent?.(event.callId, event.given);
  };

  private resizeHandle(layout: FrameLayout) {
    // In the sidebar's header (its banner landmark), though drawn along the whole left edge.
    return html`<div
      slot="header-start"
      class="resize"
      role="separator"
      tabindex="0"
      aria-orientation="vertical"
      aria-label=${this.translator.t('resize')}
      aria-valuemin=${MIN_FRAME_WIDTH}
      aria-valuemax=${MAX_FRAME_WIDTH}
      aria-valuenow=${layout.width}
      @keydown=${this.onResizeKey}
      @pointerdown=${this.onPointerDown}
      @pointermove=${this.onPointerMove}
      @pointerup=${this.onPointerUp}
      @pointercancel=${this.onPointerUp}
    ></div>`;
  }

  /** How many layout changes were asked for: only the newest one's answer is taken. */
  private layoutChanges = 0;

  private async change(change: Partial<FrameLayout>): Promise<void> {
    if (!this.frame || !this.layout) return;
    // Shown at once, so that keys pressed faster than the content script answers each step from
    // the last (three quick presses are three steps, not one); the host's answer (clamped to
    // what fits) replaces it unless a newer change was asked for meanwhile.
    this.layout = {
      collapsed: change.collapsed ?? this.layout.collapsed,
      width: change.width === undefined ? this.layout.width : clampFrameWidth(change.width),
    };
    const asked = ++this.layoutChanges;
    const answered = await this.frame.setLayout(change);
    if (asked === this.layoutChanges) this.layout = answered;
  }

  // The sidebar docks at the right, so its left edge moves: left makes it wider.
  private onResizeKey = (event: KeyboardEvent): void => {
    if (!this.layout) return;
    const step = event.shiftKey ? RESIZE_STEP * 4 : RESIZE_STEP;
    const widths: Record<string, number> = {
      ArrowLeft: this.layout.width + step,
      ArrowRight: this.layout.width - step,
      Home: MIN_FRAME_WIDTH,
      End: MAX_FRAME_WIDTH,
    };
    const width = widths[event.key];
    if (width === undefined) return;
    event.preventDefault();
    void this.change({ width });
  };

  private onPointerDown = (event: PointerEvent): void => {
    if (!this.layout || event.button !== 0) return;
    (event.currentTarget as Element).setPointerCapture(event.pointerId);
    // Screen coordinates: the frame itself moves as it widens, the screen does not.
    this.drag = {
      pointerId: event.pointerId,
      startX: event.screenX,
      startWidth: this.layout.width,
    };
  };

  private onPointerMove = (event: PointerEvent): void => {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    const first = this.pendingWidth === null;
    this.pendingWidth = drag.startWidth + (drag.startX - event.screenX);
    // One resize per frame, however fast the pointer moves.
    if (first)
      requestAnimationFrame(() => {
        const width = this.pendingWidth;
        this.pendingWidth = null;
        if (width !== null) void this.change({ width });
      });
  };

  private onPointerUp = (event: PointerEvent): void => {
    if (this.drag?.pointerId === event.pointerId) this.drag = null;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-sidebar-app': CcSidebarApp;
  }
}
