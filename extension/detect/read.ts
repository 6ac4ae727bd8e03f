import type { DetectedCallState } from '../../shared/call';
import type { PageCall } from './detector';

/**
 * Shared ways of reading a call off a page, for the platform detectors. This file runs in every
 * watched page once per animation frame at most, so it stays small and bounded: no
 * libphonenumber here (the background normalizes), a cap on how much text is looked at.
 */

/** Longest text of one container we look into: a call panel, not a whole inbox. */
const MAX_TEXT = 600;
/** Containers examined per read: a busy page cannot make one read expensive. */
const MAX_CONTAINERS = 40;

/** A phone number as pages print it: optional +, 00 or bracketed area code, 7+ digits. */
const PHONE =
  /(?:\+|\b00|\(|\b)\d[\d\s().\u00a0\u2010-\u2015-]{5,22}\d(?:\s*(?:ext\.?|x)\s*\d{1,6})?/i;
const EMAIL = /[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[a-z]{2,}/i;

/** Text of an element as one line: numbers split over several elements come out whole. */
export function textOf(element: Element | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
}

/** The first phone number in some text, as written (the background normalizes it). */
export function phoneIn(text: string): string | undefined {
  return PHONE.exec(text)?.[0].trim();
}

export function emailIn(text: string): string | undefined {
  return EMAIL.exec(text)?.[0];
}

/** A caller in an element: a tel: link first, then a number in its text, then an address. */
export function callerIn(element: Element): string | undefined {
  const tel = element.querySelector('a[href^="tel:" i]')?.getAttribute('href');
  if (tel) return tel;
  const text = `${element.getAttribute('aria-label') ?? ''} ${textOf(element)}`;
  return phoneIn(text) ?? emailIn(text);
}

/** Words a platform shows for each state of a call (its agent guide's own terms). */
export type StateWords = Record<DetectedCallState, RegExp>;

/** The state an element's label or text names, checked in order: ended wins over connected. */
export function stateIn(element: Element, words: StateWords): DetectedCallState | undefined {
  const label = `${element.getAttribute('aria-label') ?? ''} ${textOf(element)}`;
  for (const state of ['ended', 'connected', 'ringing'] as const)
    if (words[state].test(label)) return state;
  return undefined;
}

/** Live regions and dialogs: where web apps announce an incoming call to screen readers. */
const ANNOUNCED =
  '[role="alertdialog"],[role="dialog"],[role="alert"],[role="status"],[role="region"],[aria-live],section[aria-label],section[aria-labelledby]';

/**
 * Reads a call from what the page exposes to assistive technology: the first dialog, live region
 * or landmark (or platform container) whose label or text names a call state and holds a caller.
 * Used where a platform documents its states but not its DOM.
 */
export function readAnnouncedCall(
  doc: Document,
  words: StateWords,
  containers: string = ANNOUNCED,
): PageCall | null {
  const found = doc.querySelectorAll(containers);
  const count = Math.min(found.length, MAX_CONTAINERS);
  for (let i = 0; i < count; i++) {
    const element = found[i] as Element;
    // A panel the page keeps hidden is not what the agent sees.
    if (element.closest('[hidden],[aria-hidden="true"]')) continue;
    const state = stateIn(element, words);
    if (!state) continue;
    const raw = callerIn(element);
    if (raw) return { raw, state };
  }
  return null;
}

/**
 * A screen pop: a CRM page opened for a call with the caller in its URL (`?ani=...`), in the
 * query or in a hash route (`#/search?ani=...`). The call is ringing as far as this tab knows.
 */
export function readUrlCall(url: URL | undefined, params: readonly string[]): PageCall | null {
  if (!url) return null;
  const hashQuery = url.hash.includes('?') ? url.hash.slice(url.hash.indexOf('?')) : '';
  for (const search of [url.searchParams, new URLSearchParams(hashQuery)])
    for (const name of params) {
      const value = search.get(name)?.trim();
      if (value) return { raw: value.slice(0, 128), state: 'ringing' };
    }
  return null;
}

/** True when `hostname` is `domain` or one of its subdomains. */
export function isHostOf(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}
