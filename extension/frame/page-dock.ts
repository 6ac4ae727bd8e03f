/**
 * Keeps the sidebar's host element docked at the right edge of a CRM page that fights injected
 * UI (docs/architecture.md, "The sidebar in the CRM page"):
 * - in the top layer (a manual popover), so no `z-index` of the page's covers it;
 * - its styles `!important` inside its closed shadow root, so the page's CSS cannot move it;
 * - back in the page when a single-page app re-creates the document element's children or
 *   replaces the document element itself;
 * - the page made narrower beside it (a margin on the root), and where the page is an app shell
 *   that does not scroll itself (its panels do: Dynamics, Lightning, ServiceNow), its fixed
 *   layout made narrower too (`contain: layout` on the root makes it the containing block of
 *   fixed elements; on a page that scrolls, that would make fixed headers scroll away, so there
 *   the fixed elements that reach under the sidebar, a header or a toast, are moved aside one by
 *   one, and given back their own styles when it closes).
 */
export interface PageDock {
  /** Docks (`width` > 0) or undocks (0) the page beside the host. */
  setWidth(width: number): void;
  /** Stops watching and gives the page its own styles back. */
  stop(): void;
}

/** The page's own inline values of what the dock changes, to give back when it stops. */
interface Saved {
  marginRight: string;
  marginRightPriority: string;
  contain: string;
  containPriority: string;
}

function save(root: HTMLElement): Saved {
  return {
    marginRight: root.style.getPropertyValue('margin-right'),
    marginRightPriority: root.style.getPropertyPriority('margin-right'),
    contain: root.style.getPropertyValue('contain'),
    containPriority: root.style.getPropertyPriority('contain'),
  };
}

function restore(root: HTMLElement, saved: Saved): void {
  root.style.setProperty('margin-right', saved.marginRight, saved.marginRightPriority);
  root.style.setProperty('contain', saved.contain, saved.containPriority);
}

/** An app shell: the document itself does not scroll (its root or body hides overflow, or fits). */
export function isAppShell(doc: Document): boolean {
  const view = doc.defaultView;
  const root = doc.documentElement;
  if (!view || !root) return false;
  const hides = (element: Element | null) => {
    if (!element) return false;
    const style = view.getComputedStyle(element);
    return style.overflowY === 'hidden' || style.overflowY === 'clip';
  };
  if (hides(root) || hides(doc.body)) return true;
  const scroller = doc.scrollingElement ?? root;
  return scroller.scrollHeight <= scroller.clientHeight + 1;
}

/** Puts `host` in the top layer where the browser has popovers; harmless where not. */
export function raise(host: HTMLElement): void {
  const popover = host as HTMLElement & { showPopover?: () => void };
  if (typeof popover.showPopover !== 'function') return;
  if (host.getAttribute('popover') !== 'manual') host.setAttribute('popover', 'manual');
  try {
    if (!host.matches(':popover-open')) popover.showPopover();
  } catch {
    // Not connected yet, or the page made it a modal's child: it stays docked by its z-index.
  }
}

/** How long a burst of page changes waits before fixed elements are looked at again. */
const RESCAN_MS = 300;
/** Rows of the right edge that are hit-tested for fixed elements (every this many pixels). */
const SCAN_STEP = 40;

interface MovedStyle {
  right: [string, string];
  maxWidth: [string, string];
}

/**
 * On a page that scrolls: the fixed elements (headers, toasts, chat buttons) reaching under the
 * sidebar, found by hit-testing the right edge, shifted or narrowed to end where it begins.
 */
function fixedElementsAside(doc: Document, host: HTMLElement) {
  const moved = new Map<HTMLElement, MovedStyle>();
  const keep = (el: HTMLElement): MovedStyle => ({
    right: [el.style.getPropertyValue('right'), el.style.getPropertyPriority('right')],
    maxWidth: [el.style.getPropertyValue('max-width'), el.style.getPropertyPriority('max-width')],
  });
  const giveBack = () => {
    for (const [el, saved] of moved) {
      el.style.setProperty('right', ...saved.right);
      el.style.setProperty('max-width', ...saved.maxWidth);
    }
    moved.clear();
  };
  return {
    giveBack,
    apply(width: number) {
      giveBack();
      const view = doc.defaultView;
      if (!view || width <= 0) return;
      const edge = view.innerWidth - width;
      const seen = new Set<Element>();
      for (let y = 1; y < view.innerHeight; y += SCAN_STEP)
        for (const x of [view.innerWidth - 2, edge + 2])
          for (const el of doc.elementsFromPoint(x, y)) {
            if (seen.has(el)) continue;
            seen.add(el);
            if (!(el instanceof view.HTMLElement) || el === host) continue;
            if (el === doc.documentElement || el === doc.body) continue;
            const style = view.getComputedStyle(el);
            if (style.position !== 'fixed') continue;
            const rect = el.getBoundingClientRect();
            if (rect.right <= edge + 0.5) continue;
            moved.set(el, keep(el));
            if (style.right !== 'auto') {
              const right = Number.parseFloat(style.right) || 0;
              el.style.setProperty('right', `${right + width}px`, 'important');
            } else
              el.style.setProperty('max-width', `${Math.max(0, edge - rect.left)}px`, 'important');
          }
    },
  };
}

export function dockInPage(doc: Document, host: HTMLElement, signal: AbortSignal): PageDock {
  let root = doc.documentElement;
  let saved = save(root);
  let width = 0;
  let applying = false;
  let shell = false;
  const fixed = fixedElementsAside(doc, host);

  const apply = () => {
    applying = true;
    try {
      if (width > 0) {
        root.style.setProperty('margin-right', `${width}px`, 'important');
        shell = isAppShell(doc);
        if (shell) root.style.setProperty('contain', 'layout', 'important');
        else root.style.setProperty('contain', saved.contain, saved.containPriority);
      } else restore(root, saved);
      fixed.apply(shell ? 0 : width);
    } finally {
      applying = false;
    }
  };
  // New fixed elements (a toast, a chat button) come and go on a page that scrolls.
  let rescan: ReturnType<typeof setTimeout> | undefined;
  const pageChanged = new MutationObserver((records) => {
    if (rescan !== undefined || width === 0 || shell || signal.aborted) return;
    if (records.every((r) => r.target === host || host.contains(r.target))) return;
    rescan = setTimeout(() => {
      rescan = undefined;
      if (!signal.aborted && width > 0 && !shell) {
        applying = true;
        try {
          fixed.apply(width);
        } finally {
          applying = false;
        }
      }
    }, RESCAN_MS);
  });

  const reattach = () => {
    const current = doc.documentElement;
    if (!current) return;
    if (current !== root) {
      // A new document element: the old one (and our styles on it) went with the old page.
      root = current;
      saved = save(root);
    }
    if (!host.isConnected || host.parentNode !== root) root.append(host);
    raise(host);
    apply();
  };

  const observer = new MutationObserver(() => {
    if (applying || signal.aborted) return;
    if (doc.documentElement !== root) {
      reattach();
      return observe();
    }
    if (!host.isConnected) return reattach();
    // The page rewrote the root's inline style (a theme switch, a framework's reset).
    if (width > 0 && root.style.getPropertyValue('margin-right') !== `${width}px`) apply();
  });
  const observe = () => {
    observer.disconnect();
    observer.observe(doc, { childList: true });
    observer.observe(root, { childList: true, attributes: true, attributeFilter: ['style'] });
    pageChanged.disconnect();
    pageChanged.observe(root, { childList: true, subtree: true });
  };
  observe();
  reattach();
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      pageChanged.disconnect();
      clearTimeout(rescan);
    },
    { once: true },
  );

  return {
    setWidth(next) {
      width = next;
      apply();
    },
    stop() {
      observer.disconnect();
      pageChanged.disconnect();
      clearTimeout(rescan);
      width = 0;
      restore(root, saved);
      fixed.giveBack();
    },
  };
}
