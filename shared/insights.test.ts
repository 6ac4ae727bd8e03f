import { describe, expect, it } from 'vitest';
import { readInsights } from './insights';
import type { ActivityEvent } from './model';

const NOW = new Date('2026-11-22T10:00:00Z');
let n = 0;
function event(
  minutesAgo: number,
  type: string,
  extra: Partial<ActivityEvent> = {},
): ActivityEvent {
  n += 1;
  return {
    id: `e${n}`,
    at: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
    type,
    source: 'web',
    ...extra,
  };
}

describe('insights from web activity', () => {
  it('sees an abandoned cart with its items, total and time', () => {
    const a = event(4, 'cart_add', { title: 'Drip tray', value: 19, currency: 'GBP' });
    const b = event(6, 'cart_add', { title: 'Milk Frother', value: 130, currency: 'GBP' });
    const insights = readInsights([b, a, event(8, 'page_view', { title: 'Home' })], NOW);
    expect(insights).toEqual([
      {
        kind: 'abandoned_cart',
        items: 2,
        value: 149,
        currency: 'GBP',
        at: a.at,
        events: [a.id, b.id],
      },
    ]);
  });

  it('does not call a cart abandoned when it was bought, or its item removed', () => {
    const added = event(10, 'cart_add', { title: 'Grinder', value: 229, currency: 'GBP' });
    expect(readInsights([added, event(5, 'purchase', { value: 229 })], NOW)).toEqual([]);
    expect(readInsights([added, event(5, 'cart_remove', { title: 'Grinder' })], NOW)).toEqual([]);
  });

  it('leaves the total out when items are priced in different currencies', () => {
    const insights = readInsights(
      [
        event(3, 'cart_add', { title: 'A', value: 1, currency: 'GBP' }),
        event(4, 'cart_add', { title: 'B', value: 2, currency: 'EUR' }),
      ],
      NOW,
    );
    expect(insights[0]).toMatchObject({ kind: 'abandoned_cart', items: 2 });
    expect(insights[0]).not.toHaveProperty('value');
  });

  it('counts readings of the returns policy, from two on', () => {
    const views = [11, 14, 20].map((m) =>
      event(m, 'page_view', { title: 'Returns and replacements', url: '/shop/returns' }),
    );
    expect(readInsights(views, NOW)).toEqual([
      { kind: 'read_returns', times: 3, at: views[0]?.at, events: views.map((v) => v.id) },
    ]);
    expect(readInsights(views.slice(0, 1), NOW)).toEqual([]);
  });

  it('sees two products compared, and two checkouts without a purchase as payment trouble', () => {
    const p1 = event(12, 'product_view', { title: 'Espresso Pro' });
    const p2 = event(9, 'product_view', { title: 'Espresso Lite' });
    const c1 = event(3, 'checkout');
    const c2 = event(2, 'checkout');
    const kinds = readInsights([p1, p2, c1, c2], NOW).map((i) => i.kind);
    expect(kinds).toEqual(['payment_trouble', 'compared_products']);
    const compared = readInsights([p1, p2], NOW)[0];
    expect(compared).toMatchObject({ products: ['Espresso Lite', 'Espresso Pro'] });
  });

  it('notices the same search made again, whatever its case', () => {
    const s = [
      event(5, 'search', { title: 'Descaler' }),
      event(7, 'search', { title: 'descaler ' }),
    ];
    expect(readInsights(s, NOW)).toMatchObject([
      { kind: 'repeated_search', query: 'descaler', times: 2 },
    ]);
  });

  it('ignores what is older than the visit window and events with unreadable times', () => {
    const old = [
      event(90, 'page_view', { title: 'Returns' }),
      event(95, 'page_view', { title: 'Returns' }),
    ];
    expect(readInsights([...old, { ...event(1, 'cart_add'), at: 'yesterday' }], NOW)).toEqual([]);
  });
});
