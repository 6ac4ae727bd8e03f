import type { PageColorScheme } from '../../shared/frame-host';

/**
 * Whether a CRM page looks light or dark, so the sidebar beside it can match it rather than the
 * system (issue: "light and dark themes following the system or the CRM").
 *
 * A page rarely says so in one place: some set `color-scheme`, most paint a background on the
 * html or body element or on an app container. We read what the agent actually sees: the first
 * opaque background behind a few points of the page, and its relative luminance (WCAG 2.2). Only
 * when nothing is painted does the page's own `color-scheme` decide; `null` means "no opinion"
 * (the sidebar then follows the system).
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/**
 * Parses a computed colour as browsers serialise sRGB colours (`rgb(1, 2, 3)`,
 * `rgba(1, 2, 3, 0.5)`; `transparent` computes to `rgba(0, 0, 0, 0)`); undefined for anything
 * else: colours in other spaces (`oklch(...)`, `color(...)`) are skipped, not guessed.
 */
export function parseComputedColor(value: string): Rgba | undefined {
  const match = /^rgba?\(([^)]*)\)$/i.exec(value.trim());
  if (!match?.[1]) return undefined;
  const parts = match[1].split(/[\s,/]+/).filter(Boolean);
  if (parts.length < 3 || parts.length > 4 || parts.some((part) => !/^[\d.]+$/.test(part)))
    return undefined;
  const [r = 0, g = 0, b = 0, a = 1] = parts.map(Number);
  return { r, g, b, a };
}

/** WCAG 2.2 relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function relativeLuminance({ r, g, b }: Rgba): number {
  const channel = (value: number) => {
    const c = Math.min(255, Math.max(0, value)) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/**
 * Dark when black text on it would contrast less than white text does: the luminance where the
 * two contrast ratios are equal, (L + 0.05)^2 = 1.05 * 0.05, is about 0.179.
 */
export function schemeOfBackground(color: Rgba): 'light' | 'dark' {
  return relativeLuminance(color) < 0.179 ? 'dark' : 'light';
}

/** A background the agent sees as the page's colour, not a tint over something else. */
const OPAQUE = 0.5;

function paintedBackground(element: Element, view: Window): Rgba | undefined {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const color = parseComputedColor(view.getComputedStyle(node).backgroundColor);
    if (color && color.a >= OPAQUE) return color;
  }
  return undefined;
}

/**
 * The page's scheme as the agent sees it. `ignore` is our own element (the sidebar's host),
 * which must not count as page. Samples the middle of the page's visible area and a point near
 * its top left, and takes the majority; ties and unpainted pages fall back to `color-scheme`.
 */
export function readPageScheme(doc: Document, ignore?: Element): PageColorScheme {
  const view = doc.defaultView;
  if (!view) return null;
  const root = doc.documentElement;
  const width = root.clientWidth || view.innerWidth;
  const height = root.clientHeight || view.innerHeight;
  const points: [number, number][] = [
    [width / 2, height / 2],
    [width / 4, height / 4],
    [width / 4, (height * 3) / 4],
  ];
  const votes = { light: 0, dark: 0 };
  for (const [x, y] of points) {
    const hit =
      typeof doc.elementsFromPoint === 'function'
        ? doc.elementsFromPoint(x, y).find((el) => !ignore?.contains(el))
        : undefined;
    const color = paintedBackground(hit ?? doc.body ?? root, view);
    if (color) votes[schemeOfBackground(color)] += 1;
  }
  if (votes.dark !== votes.light) return votes.dark > votes.light ? 'dark' : 'light';
  return declaredScheme(view.getComputedStyle(root).colorScheme);
}

/** `color-scheme: dark` or `light` alone is an answer; `light dark` or `normal` follows the system. */
export function declaredScheme(value: string | undefined): PageColorScheme {
  const words = new Set((value ?? '').split(/\s+/).filter(Boolean));
  if (words.has('dark') && !words.has('light')) return 'dark';
  if (words.has('light') && !words.has('dark')) return 'light';
  return null;
}

/**
 * Calls `onChange` whenever the page's scheme changes: the page switching a class or an
 * attribute on html or body (how most apps toggle a theme), swapping a stylesheet in head, or
 * following the system. Reads at most once per animation frame, never on every mutation of a
 * busy page (only html, body and head's own children are observed, not their subtrees).
 */
export function watchPageScheme(
  doc: Document,
  onChange: (scheme: PageColorScheme) => void,
  ignore?: Element,
): { current: () => PageColorScheme; stop: () => void } {
  const view = doc.defaultView;
  let current = readPageScheme(doc, ignore);
  let scheduled = false;
  const check = () => {
    scheduled = false;
    const next = readPageScheme(doc, ignore);
    if (next === current) return;
    current = next;
    onChange(next);
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    if (view?.requestAnimationFrame) view.requestAnimationFrame(check);
    else setTimeout(check, 16);
  };
  const observer = new MutationObserver(schedule);
  observer.observe(doc.documentElement, { attributes: true });
  if (doc.body) observer.observe(doc.body, { attributes: true });
  if (doc.head) observer.observe(doc.head, { childList: true });
  const system = view?.matchMedia?.('(prefers-color-scheme: dark)');
  system?.addEventListener('change', schedule);
  view?.addEventListener('load', schedule);
  return {
    current: () => current,
    stop() {
      observer.disconnect();
      system?.removeEventListener('change', schedule);
      view?.removeEventListener('load', schedule);
    },
  };
}
