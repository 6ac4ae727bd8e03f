import type { DetectionRule } from '../../shared/config';
import { matchesAny } from '../../shared/match-pattern';
import type { Detector, PageCall } from './detector';
import { emailIn, phoneIn, readUrlCall } from './read';

/** Elements one rule's selector may read per frame: a rule matching a whole table stays cheap. */
const MAX_MATCHED = 20;
const MAX_TEXT = 400;

export interface RuleProblem {
  /** 1-based position of the rule in `detectionRules`. */
  rule: number;
  message: string;
}

/** The caller in some text: the rule's `pattern` (its first group, or the whole match) or any number. */
function callerInText(text: string, pattern: RegExp | undefined): string | undefined {
  if (!pattern) return phoneIn(text) ?? emailIn(text);
  const match = pattern.exec(text);
  const found = match?.[1] ?? match?.[0];
  return found?.trim() || undefined;
}

/**
 * Turns one admin rule (docs/architecture.md, "Extension configuration") into a detector named `rule-<n>`. What a
 * rule names is read in order: the elements its `selector` matches (their text joined, so a number
 * split over several elements reads whole; a `tel:` link's target first), the page title through
 * `titlePattern`, then the URL parameter `urlParam`. A rule cannot tell ringing from connected, so
 * what it reads is a ringing call; the call ends when it leaves the page.
 */
export function compileRule(
  rule: DetectionRule,
  position: number,
  doc: Document,
): Detector | Error {
  let pattern: RegExp | undefined;
  let titlePattern: RegExp | undefined;
  try {
    pattern = rule.pattern ? new RegExp(rule.pattern) : undefined;
    titlePattern = rule.titlePattern ? new RegExp(rule.titlePattern) : undefined;
  } catch {
    return new Error('has a pattern that is not a valid regular expression');
  }
  if (rule.selector) {
    try {
      doc.createDocumentFragment().querySelector(rule.selector);
    } catch {
      return new Error(`"${rule.selector}" is not a valid CSS selector`);
    }
  }
  const { selector, urlParam } = rule;
  const fromSelector = (page: Document): PageCall | null => {
    if (!selector) return null;
    const found = page.querySelectorAll(selector);
    if (found.length === 0) return null;
    const parts: string[] = [];
    for (let i = 0; i < Math.min(found.length, MAX_MATCHED); i++) {
      const element = found[i] as Element;
      const href = element.getAttribute('href');
      if (href && /^tel:/i.test(href)) return { raw: href.slice(0, 128), state: 'ringing' };
      parts.push(element.textContent ?? '');
    }
    const text = parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, MAX_TEXT);
    const raw = callerInText(text, pattern);
    return raw ? { raw: raw.slice(0, 128), state: 'ringing' } : null;
  };
  const fromTitle = (page: Document): PageCall | null => {
    if (!titlePattern) return null;
    const match = titlePattern.exec(page.title.slice(0, MAX_TEXT));
    if (!match) return null;
    const raw = match[1] ?? phoneIn(match[0]);
    return raw ? { raw: raw.trim().slice(0, 128), state: 'ringing' } : null;
  };
  return {
    id: `rule-${position}`,
    matches: rule.matches,
    applies: ({ href }) => matchesAny(href, rule.matches),
    read: (page, url) =>
      fromSelector(page) ?? fromTitle(page) ?? (urlParam ? readUrlCall(url, [urlParam]) : null),
  };
}

/** Every rule that compiles becomes a detector; each one that does not is reported, not fatal. */
export function compileRules(
  rules: readonly DetectionRule[],
  doc: Document,
): { detectors: Detector[]; problems: RuleProblem[] } {
  const detectors: Detector[] = [];
  const problems: RuleProblem[] = [];
  rules.forEach((rule, i) => {
    const compiled = compileRule(rule, i + 1, doc);
    if (compiled instanceof Error) problems.push({ rule: i + 1, message: compiled.message });
    else detectors.push(compiled);
  });
  return { detectors, problems };
}
