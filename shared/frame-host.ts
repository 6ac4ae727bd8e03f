/**
 * What the sidebar page may ask of the content script that mounted its frame in the CRM tab,
 * over a private MessageChannel (docs/architecture.md, "Who talks to whom"): the CRM page never sees it.
 */
/**
 * The CRM page's colour scheme as the agent sees it (extension/frame/page-scheme.ts reads it);
 * `null`: the page shows none, so the sidebar follows the system.
 */
export type PageColorScheme = 'light' | 'dark' | null;

export interface FrameLayout {
  collapsed: boolean;
  /** The open frame's width in CSS pixels. */
  width: number;
}

export interface FrameHost {
  layout(): FrameLayout;
  /** Applies a change (the width clamped to what fits) and keeps it for the agent's next page. */
  setLayout(change: Partial<FrameLayout>): FrameLayout;
  /** Opens a record in the CRM tab; false for anything but an http(s) URL. */
  open(url: string): boolean;
  /**
   * The CRM page's colour scheme now (null: it shows none, follow the system), and every change
   * after it to `listener` (one listener per channel: a new call replaces the last).
   */
  watchColorScheme(listener: (scheme: PageColorScheme) => void): PageColorScheme;
}

/** The message that hands the sidebar frame its end of the channel. */
export const FRAME_CONNECT = 'caller-context:connect';
/** storage.local key of the agent's frame layout. */
export const FRAME_LAYOUT_KEY = 'sidebarFrame';

export const DEFAULT_FRAME_WIDTH = 360;
export const MIN_FRAME_WIDTH = 280;
export const MAX_FRAME_WIDTH = 720;
/** The collapsed frame: a slim tab at the right edge. */
export const COLLAPSED_FRAME_WIDTH = 44;

export function clampFrameWidth(width: number): number {
  if (!Number.isFinite(width)) return DEFAULT_FRAME_WIDTH;
  return Math.round(Math.min(MAX_FRAME_WIDTH, Math.max(MIN_FRAME_WIDTH, width)));
}

/** A stored layout, whatever shape it has (an older version, hand-edited storage), made valid. */
export function readFrameLayout(stored: unknown): FrameLayout {
  const value = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<
    string,
    unknown
  >;
  return {
    collapsed: value.collapsed === true,
    width: typeof value.width === 'number' ? clampFrameWidth(value.width) : DEFAULT_FRAME_WIDTH,
  };
}

/** Only web addresses may be opened in the CRM tab (never `javascript:` or `data:`). */
export function isOpenableUrl(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
