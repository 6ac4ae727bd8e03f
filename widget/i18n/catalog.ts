import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { it } from './it';
import type { Message } from './messages';
import { ru } from './ru';

export type MessageKey = keyof typeof en;
/** A language's catalog: every key the English one has, no more (checked by the compiler and a test). */
export type Catalog = Record<MessageKey, Message>;
export type Language = 'en' | 'it' | 'ru' | 'de' | 'fr' | 'es';
export type MessageParams = Record<string, string | number>;

export const CATALOGS: Record<Language, Catalog> = { en, it, ru, de, fr, es };

/** Turns a message key into the agent's language; numbers in `params` are formatted for the locale. */
export interface Translator {
  /** The catalog's language. */
  readonly language: Language;
  /** The BCP 47 tag for Intl (numbers, money, relative times), e.g. `it-CH`. */
  readonly locale: string;
  t(key: MessageKey, params?: MessageParams): string;
}

function isLanguage(tag: string): tag is Language {
  return tag in CATALOGS;
}

/**
 * The first of the browser's languages (`navigator.languages`, most preferred first) that has a
 * catalog; English when none has. The full tag is kept for formatting (`de-CH` numbers).
 */
export function pickLanguage(preferred: readonly string[]): { language: Language; locale: string } {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (!isLanguage(base)) continue;
    try {
      return { language: base, locale: Intl.getCanonicalLocales(tag)[0] ?? base };
    } catch {
      return { language: base, locale: base };
    }
  }
  return { language: 'en', locale: 'en' };
}

export function createTranslator(preferred: readonly string[]): Translator {
  const { language, locale } = pickLanguage(preferred);
  const catalog = CATALOGS[language];
  const plurals = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale);
  return {
    language,
    locale,
    t(key, params = {}) {
      const message = catalog[key] ?? en[key];
      let text: string;
      if (typeof message === 'string') text = message;
      else {
        const count = typeof params.count === 'number' ? params.count : 0;
        text = message[plurals.select(count)] ?? message.other;
      }
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const value = params[name];
        if (value === undefined) return whole;
        return typeof value === 'number' ? numbers.format(value) : value;
      });
    },
  };
}

/** English, for components used before a translator is handed to them (and in tests). */
export const english: Translator = createTranslator(['en']);
