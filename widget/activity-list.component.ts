import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ActivityEvent } from '../shared/model';
import { activityListStyles } from './activity-list.styles';
import { money, relativeTime } from './format';
import { english, type MessageKey, type Translator } from './i18n/catalog';
import { theme } from './theme.styles';

/**
 * What the caller did on the brand's site, newest first.
 * @csspart list - the list of events
 */
export class CcActivityList extends LitElement {
  static override styles = [theme, activityListStyles];

  @property({ attribute: false }) events: ActivityEvent[] = [];
  @property({ attribute: false }) now: Date = new Date();
  /** The agent's language and locale. */
  @property({ attribute: false }) translator: Translator = english;
  /** The list's accessible name; "Recent web activity" unless it shows only some events. */
  @property() label: string | undefined;

  override render() {
    const { t, locale } = this.translator;
    if (this.events.length === 0) return html`<p class="empty">${t('activityEmpty')}</p>`;
    return html`<ol part="list" aria-label=${this.label ?? t('activityList')}>
      ${this.events.map(
        (e) => html`<li>
          <span class="what">${e.title ?? e.url ?? e.type}</span>
          <time datetime=${e.at} title=${new Date(e.at).toLocaleString(locale)}
            >${relativeTime(e.at, this.now, locale)}</time
          >
          <span class="kind">${kindLabel(e.type, t)}</span>
          ${
            e.value !== undefined
              ? html`<span class="value">${money(e.value, e.currency, locale)}</span>`
              : nothing
          }
        </li>`,
      )}
    </ol>`;
  }
}

const KNOWN_KINDS = new Set([
  'page_view',
  'product_view',
  'cart_add',
  'cart_remove',
  'checkout',
  'purchase',
  'search',
]);

function kindLabel(type: string, t: Translator['t']): string {
  return KNOWN_KINDS.has(type) ? t(`kind.${type}` as MessageKey) : type.replaceAll('_', ' ');
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-activity-list': CcActivityList;
  }
}
