import { html, LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { type CallFeed, CallFeedController } from './call-feed.controller';

/**
 * The sidebar page's root: keeps `cc-sidebar` fed with the current call from a `CallFeed`.
 * Set `feed` before the element is connected.
 */
export class CcSidebarApp extends LitElement {
  @property({ attribute: false }) feed: CallFeed | undefined;
  private controller: CallFeedController | undefined;

  override connectedCallback(): void {
    if (!this.controller && this.feed) this.controller = new CallFeedController(this, this.feed);
    super.connectedCallback();
  }

  override render() {
    const c = this.controller;
    return html`<cc-sidebar
      .call=${c?.call ?? null}
      .loaded=${c?.loaded ?? false}
      .notice=${c?.error ?? null}
    ></cc-sidebar>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-sidebar-app': CcSidebarApp;
  }
}
