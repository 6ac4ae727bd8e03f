import type { Insight } from '../shared/insights';
import { money, relativeTime } from './format';
import { english, type Translator } from './i18n/catalog';

/** One line per insight, as an agent reads it at a glance, in the agent's language. */
export function insightText(insight: Insight, now: Date, translator: Translator = english): string {
  const { t, locale } = translator;
  const when = relativeTime(insight.at, now, locale);
  switch (insight.kind) {
    case 'abandoned_cart': {
      const details = [t('cartItems', { count: insight.items })];
      if (insight.value !== undefined) details.push(money(insight.value, insight.currency, locale));
      return t('insight.abandonedCart', { details: details.join(', '), when });
    }
    case 'read_returns':
      return t('insight.readReturns', { count: insight.times, when });
    case 'compared_products':
      return t('insight.comparedProducts', { products: listOf(insight.products, locale) });
    case 'payment_trouble':
      return t('insight.paymentTrouble', { count: insight.attempts, when });
    case 'repeated_search':
      return t('insight.repeatedSearch', { count: insight.times, query: insight.query });
  }
}

function listOf(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}
