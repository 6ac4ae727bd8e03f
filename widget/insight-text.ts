import type { Insight } from '../shared/insights';
import { money, relativeTime } from './format';

/** One line per insight, as an agent reads it at a glance. */
export function insightText(insight: Insight, now: Date, locale?: string): string {
  const when = relativeTime(insight.at, now, locale);
  switch (insight.kind) {
    case 'abandoned_cart': {
      const items = insight.items === 1 ? '1 item' : `${insight.items} items`;
      const value =
        insight.value !== undefined ? `, ${money(insight.value, insight.currency, locale)}` : '';
      return `Abandoned cart: ${items}${value}, ${when}`;
    }
    case 'read_returns':
      return `Read the returns policy ${insight.times} times, last ${when}`;
    case 'compared_products':
      return `Compared ${listOf(insight.products, locale)}`;
    case 'payment_trouble':
      return `Tried to pay ${insight.attempts === 2 ? 'twice' : `${insight.attempts} times`} without completing, ${when}`;
    case 'repeated_search':
      return `Searched for "${insight.query}" ${insight.times} times`;
  }
}

function listOf(items: readonly string[], locale?: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}
