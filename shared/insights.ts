import type { ActivityEvent } from './model';

/**
 * A short reading of what a caller just did on the site, for the seconds before "hello": the
 * kind of thing none of the big products says, each resting on the events it cites.
 */
export type Insight =
  | {
      kind: 'abandoned_cart';
      items: number;
      value?: number;
      currency?: string;
      at: string;
      events: string[];
    }
  | { kind: 'read_returns'; times: number; at: string; events: string[] }
  | { kind: 'compared_products'; products: string[]; at: string; events: string[] }
  | { kind: 'payment_trouble'; attempts: number; at: string; events: string[] }
  | { kind: 'repeated_search'; query: string; times: number; at: string; events: string[] };

/** How far back a reading looks: what the caller did in this visit, not last month. */
export const INSIGHT_WINDOW_MS = 60 * 60_000;

const RETURNS = /\b(return|refund|replacement|exchange|warrant)/i;

/**
 * Reads `events` (any order) as of `now`. Rules, not guesses: each insight needs the events
 * that show it, and lists their ids so the sidebar can point at them.
 */
export function readInsights(events: readonly ActivityEvent[], now: Date): Insight[] {
  const since = now.getTime() - INSIGHT_WINDOW_MS;
  const recent = events
    .filter((e) => {
      const t = Date.parse(e.at);
      return !Number.isNaN(t) && t >= since && t <= now.getTime() + 60_000;
    })
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  const insights: Insight[] = [];

  const lastPurchase = recent.find((e) => e.type === 'purchase');
  const purchasedAt = lastPurchase ? Date.parse(lastPurchase.at) : Number.NEGATIVE_INFINITY;
  const carted = recent.filter((e) => e.type === 'cart_add' && Date.parse(e.at) > purchasedAt);
  const removed = new Set(
    recent.filter((e) => e.type === 'cart_remove').map((e) => e.title ?? e.url ?? e.id),
  );
  const inCart = carted.filter((e) => !removed.has(e.title ?? e.url ?? e.id));
  if (inCart.length > 0 && inCart[0]) {
    const currencies = new Set(inCart.map((e) => e.currency).filter(Boolean));
    const priced = inCart.every((e) => typeof e.value === 'number') && currencies.size === 1;
    insights.push({
      kind: 'abandoned_cart',
      items: inCart.length,
      ...(priced
        ? {
            value: inCart.reduce((sum, e) => sum + (e.value ?? 0), 0),
            currency: [...currencies][0] as string,
          }
        : {}),
      at: inCart[0].at,
      events: inCart.map((e) => e.id),
    });
  }

  const checkouts = recent.filter(
    (e) => (e.type === 'checkout' || e.type === 'payment_failed') && Date.parse(e.at) > purchasedAt,
  );
  if (checkouts.length >= 2 && checkouts[0])
    insights.push({
      kind: 'payment_trouble',
      attempts: checkouts.length,
      at: checkouts[0].at,
      events: checkouts.map((e) => e.id),
    });

  const returns = recent.filter(
    (e) => e.type === 'page_view' && RETURNS.test(`${e.title ?? ''} ${e.url ?? ''}`),
  );
  if (returns.length >= 2 && returns[0])
    insights.push({
      kind: 'read_returns',
      times: returns.length,
      at: returns[0].at,
      events: returns.map((e) => e.id),
    });

  const views = recent.filter((e) => e.type === 'product_view' && e.title);
  const products = [...new Set(views.map((e) => e.title as string))];
  if (products.length >= 2 && views[0])
    insights.push({
      kind: 'compared_products',
      products: products.slice(0, 3),
      at: views[0].at,
      events: views
        .filter((e) => products.slice(0, 3).includes(e.title as string))
        .map((e) => e.id),
    });

  const searches = new Map<string, ActivityEvent[]>();
  for (const e of recent.filter((x) => x.type === 'search' && x.title)) {
    const query = (e.title as string).trim().toLowerCase();
    searches.set(query, [...(searches.get(query) ?? []), e]);
  }
  for (const [query, list] of searches)
    if (list.length >= 2 && list[0])
      insights.push({
        kind: 'repeated_search',
        query,
        times: list.length,
        at: list[0].at,
        events: list.map((e) => e.id),
      });

  // Most recent first: what the caller did last is most likely why they call.
  return insights.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
