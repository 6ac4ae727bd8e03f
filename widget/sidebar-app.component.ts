import { html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { type CallFeed, CallFeedController } from './call-feed.controller';
import { english, type Translator } from './i18n/catalog';
import { LiveActivityController } from './live-activity.controller';

/**
 * The sidebar page's root: keeps `cc-sidebar` fed with the current call from a `CallFeed`.
 * Set `feed` before the element is connected.
 */
export class CcSidebarApp extends LitElement {
  @property({ attribute: false }) feed: CallFeed | undefined;
  /** The agent's language; the page picks it from the browser's (`navigator.languages`). */
  @property({ attribute: false }) translator: Translator = english;
  private controller: CallFeedController | undefined;
  private live: LiveActivityController | undefined;

  override connectedCallback(): void {
    const feed = this.feed;
    if (!this.controller && feed) {
      this.controller = new CallFeedController(this, feed);
      if (feed.refreshActivity)
        this.live = new LiveActivityController(this, (id) =>
          feed.refreshActivity ? feed.refreshActivity(id) : Promise.resolve({ ok: true }),
        );
    }
    super.connectedCallback();
  }

  protected override willUpdate(): void {
    this.live?.follow(this.controller?.call ?? null);
  }

  override render() {
    const c = this.controller;
    return html`<cc-sidebar
      .call=${c?.call ?? null}
      .loaded=${c?.loaded ?? false}
      .notice=${c?.error ?? null}
      .liveError=${this.live?.error ?? null}
      .translator=${this.translator}
    ></cc-sidebar>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-sidebar-app': CcSidebarApp;
  }
}
