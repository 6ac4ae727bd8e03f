import { describe, expect, it } from 'vitest';
import { CATALOGS, createTranslator, type Language, pickLanguage } from './catalog';

const languages = Object.keys(CATALOGS) as Language[];

describe('catalogs', () => {
  it('cover English, Italian, Russian, German, French and Spanish', () => {
    expect(languages.sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'ru']);
  });

  it.each(languages)('%s has every key English has, and no other', (language) => {
    expect(Object.keys(CATALOGS[language]).sort()).toEqual(Object.keys(CATALOGS.en).sort());
  });

  it.each(languages)('%s has a non-empty text for every key', (language) => {
    for (const [key, message] of Object.entries(CATALOGS[language])) {
      const texts = typeof message === 'string' ? [message] : Object.values(message);
      for (const text of texts) expect(text.trim(), `${language} ${key}`).not.toBe('');
    }
  });

  it.each(languages)('%s plural messages have every category its plural rules use', (language) => {
    const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
    for (const [key, message] of Object.entries(CATALOGS[language])) {
      if (typeof message === 'string') continue;
      for (const category of categories)
        expect(message[category], `${language} ${key} ${category}`).toBeDefined();
    }
  });

  it.each(languages)('%s keeps the placeholders of the English text', (language) => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, message] of Object.entries(CATALOGS.en)) {
      const english = typeof message === 'string' ? message : message.other;
      const translated = CATALOGS[language][key as keyof typeof CATALOGS.en];
      const text = typeof translated === 'string' ? translated : translated.other;
      expect(placeholders(text), `${language} ${key}`).toEqual(placeholders(english));
    }
  });
});

describe('pickLanguage', () => {
  it('takes the first of the browser languages that has a catalog', () => {
    expect(pickLanguage(['pl-PL', 'it-IT', 'en-GB'])).toEqual({ language: 'it', locale: 'it-IT' });
    expect(pickLanguage(['de-CH'])).toEqual({ language: 'de', locale: 'de-CH' });
  });

  it('falls back to English', () => {
    expect(pickLanguage(['pl', 'ja'])).toEqual({ language: 'en', locale: 'en' });
    expect(pickLanguage([])).toEqual({ language: 'en', locale: 'en' });
  });
});

describe('createTranslator', () => {
  it('fills placeholders and formats numbers for the locale', () => {
    const t = createTranslator(['de-DE']).t;
    expect(t('ownerCustomer', { name: 'Marco Rossi' })).toBe('Kunde von Marco Rossi');
    expect(t('cartItems', { count: 1200 })).toBe('1.200 Artikel');
  });

  it('chooses the plural form by the language rules', () => {
    const ru = createTranslator(['ru']).t;
    expect(ru('cartItems', { count: 1 })).toBe('1 товар');
    expect(ru('cartItems', { count: 3 })).toBe('3 товара');
    expect(ru('cartItems', { count: 5 })).toBe('5 товаров');
    expect(ru('cartItems', { count: 21 })).toBe('21 товар');
    const en = createTranslator(['en-GB']).t;
    expect(en('cartItems', { count: 1 })).toBe('1 item');
    expect(en('cartItems', { count: 2 })).toBe('2 items');
  });

  it('speaks the browser language', () => {
    expect(createTranslator(['it-IT']).t('unknownTitle')).toBe('Chiamante sconosciuto');
    expect(createTranslator(['fr']).t('unknownTitle')).toBe('Appelant inconnu');
    expect(createTranslator(['es-MX']).t('unknownTitle')).toBe('Llamante desconocido');
  });
});
