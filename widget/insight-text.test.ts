import { describe, expect, it } from 'vitest';
import { createTranslator } from './i18n/catalog';
import { insightText } from './insight-text';

const now = new Date('2025-03-01T12:00:00Z');
const fourMinutesAgo = '2025-03-01T11:56:00Z';

describe('insightText', () => {
  it('reads an abandoned cart in English with its value and age', () => {
    const text = insightText(
      {
        kind: 'abandoned_cart',
        at: fourMinutesAgo,
        items: 2,
        value: 149,
        currency: 'GBP',
        events: [],
      },
      now,
      createTranslator(['en-GB']),
    );
    expect(text).toBe('Abandoned cart: 2 items, £149.00, 4 min ago');
  });

  it('speaks Italian with Italian money and times', () => {
    const text = insightText(
      {
        kind: 'abandoned_cart',
        at: fourMinutesAgo,
        items: 1,
        value: 1149.5,
        currency: 'EUR',
        events: [],
      },
      now,
      createTranslator(['it-IT']),
    );
    expect(text).toBe('Carrello abbandonato: 1 articolo, 1149,50\u00a0€, 4 min fa');
  });

  it('uses the language plural forms', () => {
    const ru = createTranslator(['ru-RU']);
    const insight = (times: number) =>
      insightText(
        { kind: 'repeated_search', at: fourMinutesAgo, query: 'kettle', times, events: [] },
        now,
        ru,
      );
    expect(insight(2)).toBe('Искал «kettle» 2 раза');
    expect(insight(5)).toBe('Искал «kettle» 5 раз');
  });

  it('lists compared products the way the language joins them', () => {
    const text = insightText(
      {
        kind: 'compared_products',
        at: fourMinutesAgo,
        products: ['Espresso Pro', 'Espresso Lite'],
        events: [],
      },
      now,
      createTranslator(['de']),
    );
    expect(text).toBe('Hat Espresso Pro und Espresso Lite verglichen');
  });
});
