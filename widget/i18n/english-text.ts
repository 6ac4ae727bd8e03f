import { CATALOGS, type Language, type MessageKey } from './catalog';

/*
 * For tests: what a rendered page shows, and which of it is English where the agent's language
 * has its own words (widget/sidebar-languages.test.ts, widget/options-languages.test.ts).
 */

const ATTRIBUTES = ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext'];

/**
 * What a person (or their screen reader) gets from the page: text and labels. Text marked as
 * English (`lang="en"`: a platform's own words the sidebar passes on) is left out with `marked`.
 */
export function visibleWords(node: Node, into: string[] = [], marked = false): string[] {
  if (node.nodeType === Node.TEXT_NODE) {
    const text = node.textContent?.replace(/\s+/g, ' ').trim();
    if (text) into.push(text);
    return into;
  }
  // By node type: happy-dom's shadow roots are not instances of its DocumentFragment.
  if (node.nodeType !== Node.ELEMENT_NODE && node.nodeType !== Node.DOCUMENT_FRAGMENT_NODE)
    return into;
  if (node instanceof Element) {
    if (node.tagName === 'STYLE' || node.tagName === 'SCRIPT') return into;
    if (marked && node.getAttribute('lang') === 'en') return into;
    for (const name of ATTRIBUTES) {
      const value = node.getAttribute(name);
      if (value) into.push(value);
    }
    if (node.shadowRoot) visibleWords(node.shadowRoot, into, marked);
  }
  for (const child of node.childNodes) visibleWords(child, into, marked);
  return into;
}

/**
 * Words that are English in none of the other five languages: a sentence the catalogs do not
 * hold (a literal in a component) still gives itself away by them.
 */
const ENGLISH_WORDS = [
  'the',
  'and',
  'is',
  'are',
  'not',
  'to',
  'of',
  'for',
  'with',
  'this',
  'your',
  'you',
  'again',
  'please',
];

export function englishWords(words: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of words)
    for (const word of text.toLowerCase().split(/[^\p{L}]+/u))
      if (ENGLISH_WORDS.includes(word)) found.add(`"${word}" in "${text}"`);
  return [...found];
}

const english = CATALOGS.en;
const keys = Object.keys(english) as MessageKey[];
const texts = (message: (typeof english)[MessageKey]) =>
  typeof message === 'string' ? [message] : Object.values(message);

/**
 * The English catalog's texts that must not show in `language`: each text's words between its
 * placeholders, where the language words that text differently (French "Notes" is French too).
 */
export function englishLeftovers(language: Language, words: readonly string[]): string[] {
  const shown = words.join('\n');
  const found: string[] = [];
  for (const key of keys) {
    const own = new Set(texts(CATALOGS[language][key]));
    for (const text of texts(english[key])) {
      if (own.has(text)) continue;
      for (const part of text.split(/\{\w+\}/)) {
        const piece = part.trim();
        if ((piece.match(/\p{L}/gu) ?? []).length < 4) continue;
        const escaped = piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u').test(shown))
          found.push(`${key}: "${piece}"`);
      }
    }
  }
  return [...new Set(found)];
}
