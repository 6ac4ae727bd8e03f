import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ActivityEvent } from '../shared/model';
import { activityListStyles } from './activity-list.styles';
import { money, relativeTime } from './format';
import { theme } from './theme.styles';

const KINDS: Record<string, string> = {
  page_view: 'Viewed page',
  product_view: 'Viewed product',
  cart_add: 'Added to cart',
  cart_remove: 'Removed from cart',
  checkout: 'Started checkout',
  purchase: 'Purchased',
  search: 'Searched',
};

/**
 * What the caller did on the brand's site, newest first.
 * @csspart list - the list of events
 */
export class CcActivityList extends LitElement {
  static override styles = [theme, activityListStyles];

  @property({ attribute: false }) events: ActivityEvent[] = [];
  @property({ attribute: false }) now: Date = new Date();
  @property() locale: string | undefined;

  override render() {
    if (this.events.length === 0) return html`<p class="empty">No recent activity on the site.</p>`;
    return html`<ol part="list" aria-label="Recent web activity">
      ${this.events.map(
        (e) => html`<li>
          <span class="what">${e.title ?? e.url ?? e.type}</span>
          <time datetime=${e.at} title=${new Date(e.at).toLocaleString(this.locale)}
            >${relativeTime(e.at, this.now, this.locale)}</time
          >
          <span class="kind">${KINDS[e.type] ?? e.type.replaceAll('_', ' ')}</span>
          ${
            e.value !== undefined
              ? html`<span class="value">${money(e.value, e.currency, this.locale)}</span>`
              : nothing
          }
        </li>`,
      )}
    </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-activity-list': CcActivityList;
  }
}
