import { expose } from 'comlink';
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import {
  COLLAPSED_FRAME_WIDTH,
  clampFrameWidth,
  FRAME_CONNECT,
  FRAME_LAYOUT_KEY,
  type FrameHost,
  isOpenableUrl,
  type PageColorScheme,
  readFrameLayout,
} from '../shared/frame-host';
import { PAGE_SETTINGS_KEY, readPageSettings } from '../shared/page-settings';
import { messaging } from '../shared/protocol';
import { sidebarMatches } from './frame/crm-platforms';
import { dockInPage, raise } from './frame/page-dock';
import { watchPageScheme } from './frame/page-scheme';
import { pageStrings } from './frame/page-strings';

/** Below this much room for the CRM beside the sidebar, the sidebar overlays instead of pushing. */
const MIN_PAGE_WIDTH = 480;
/** Set once per page: the declared script, a registered one and an injected one may all run. */
const RUNNING = Symbol.for('caller-context.sidebar');

/**
 * The host's look, `!important` so that the page's own CSS (which wins over a shadow root's
 * `:host` rules otherwise) cannot move, hide or restyle it; popover defaults undone too.
 */
const HOST_STYLE = `
  :host { all: initial; position: fixed !important; top: 0 !important;
    right: 0 !important; bottom: 0 !important; left: auto !important; margin: 0 !important;
    padding: 0 !important; border: 0 !important; background: transparent !important;
    overflow: visible !important; height: auto !important; max-height: none !important;
    max-width: 100vw !important; display: block !important; visibility: visible !important;
    z-index: 2147483647 !important; box-shadow: -2px 0 12px rgb(0 0 0 / 0.15) !important;
    opacity: 1 !important; transform: none !important; filter: none !important;
    clip-path: none !important; pointer-events: auto !important; }
  :host([data-elsewhere]) { top: auto !important; bottom: 16px !important;
    box-shadow: none !important; }`;

const BUTTON_STYLE = `
  button { font: 13px system-ui, sans-serif; padding: 6px 10px; border: 1px solid #555;
    border-radius: 6px 0 0 6px; background: #fff; color: #111; cursor: pointer; }
  button:focus-visible { outline: 2px solid #0b57d0; outline-offset: 2px; }
  [hidden] { display: none; }`;

interface Mounted {
  kind: 'frame' | 'panel';
  /** The background's answer for this tab: the sidebar is shown here, or in another CRM tab. */
  show(shown: boolean): void;
  remove(): void;
}

/**
 * Side-panel mode: no iframe in the page, only a small button (besides the toolbar's) that opens
 * the browser's side panel; the click's gesture is what lets the background open it.
 */
function offerSidePanel(ctx: ContentScriptContext): Mounted {
  const words = pageStrings();
  const host = document.createElement('caller-context-sidebar');
  host.lang = words.language;
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = `${HOST_STYLE}
    :host { top: auto !important; bottom: 16px !important; box-shadow: none !important; }
    p { font: 12px system-ui, sans-serif; margin: 4px 0 0; padding: 4px;
    background: #fff; color: #a00; max-width: 240px; } ${BUTTON_STYLE}`;
  const open = document.createElement('button');
  open.type = 'button';
  open.textContent = words.openSidebar;
  open.setAttribute('data-caller-context', 'open-side-panel');
  const problem = document.createElement('p');
  problem.setAttribute('role', 'alert');
  problem.hidden = true;
  open.addEventListener('click', () => {
    messaging
      .sendMessage('openSidePanel', undefined)
      .then(({ opened, error }) => {
        problem.hidden = opened;
        problem.textContent = opened ? '' : words.sidePanelFailed(error);
      })
      .catch(() => {
        problem.hidden = false;
        problem.textContent = words.reloadPage;
      });
  });
  root.append(style, open, problem);
  const stopped = new AbortController();
  const dock = dockInPage(document, host, stopped.signal);
  const remove = () => {
    stopped.abort();
    dock.stop();
    host.remove();
  };
  ctx.onInvalidated(remove);
  return { kind: 'panel', show: () => {}, remove };
}

/** The sidebar page in an iframe beside the CRM, and the private channel to it. */
function mountFrame(
  ctx: ContentScriptContext,
  secret: string,
  initialLayout: ReturnType<typeof readFrameLayout>,
): Mounted {
  let layout = initialLayout;
  // The sidebar is an extension page in an iframe: the CRM page's scripts cannot read
  // the customer data inside it (docs/architecture.md, "The page never holds customer data").
  const words = pageStrings();
  const host = document.createElement('caller-context-sidebar');
  host.lang = words.language;
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = `${HOST_STYLE}
      iframe { border: 0; width: 100%; height: 100%; color-scheme: normal; display: block; }
      ${BUTTON_STYLE}`;
  const extensionOrigin = browser.runtime.getURL('/').replace(/\/$/, '');
  const frame = document.createElement('iframe');
  frame.src = `${extensionOrigin}/sidebar.html#${secret}`;
  frame.title = words.frameTitle;
  frame.setAttribute('data-caller-context', 'sidebar');
  // Shown when the sidebar is in another CRM tab: one click (or Enter) brings it here.
  const elsewhere = document.createElement('button');
  elsewhere.type = 'button';
  elsewhere.textContent = words.shownElsewhere;
  elsewhere.setAttribute('data-caller-context', 'elsewhere');
  // The width, set where the page cannot override it (an important rule of the shadow root).
  const size = document.createElement('style');
  const setWidth = (width: string) => {
    size.textContent = `:host { width: ${width} !important; }`;
  };
  root.append(style, size, frame, elsewhere);

  const stopped = new AbortController();
  const dock = dockInPage(document, host, stopped.signal);
  const apply = () => {
    if (frame.hidden) {
      // Shown in another tab: only the small button here, and the page keeps its full width.
      setWidth('auto');
      dock.setWidth(0);
      return;
    }
    const width = layout.collapsed ? COLLAPSED_FRAME_WIDTH : Math.min(layout.width, innerWidth);
    setWidth(`${width}px`);
    // Docked, not floating: the CRM's own controls move aside rather than hide behind it.
    dock.setWidth(innerWidth - width >= MIN_PAGE_WIDTH ? width : 0);
  };
  const show = (here: boolean) => {
    // The frame stays loaded while hidden, so coming back is instant.
    frame.hidden = !here;
    elsewhere.hidden = here;
    host.toggleAttribute('data-elsewhere', !here);
    apply();
  };
  // A drag sends many widths: one write at a time, the newest layout always written last.
  let saving = false;
  let unsaved = false;
  const save = async (): Promise<void> => {
    unsaved = true;
    if (saving) return;
    saving = true;
    while (unsaved && !ctx.isInvalid) {
      unsaved = false;
      await browser.storage.local.set({ [FRAME_LAYOUT_KEY]: layout }).catch(() => {});
    }
    saving = false;
  };
  // The sidebar matches the CRM's light or dark look, read from what the page paints.
  let schemeListener: ((scheme: PageColorScheme) => void) | undefined;
  const pageScheme = watchPageScheme(document, (scheme) => schemeListener?.(scheme), host);
  const frameHost: FrameHost = {
    layout: () => layout,
    setLayout(change) {
      layout = {
        collapsed: typeof change.collapsed === 'boolean' ? change.collapsed : layout.collapsed,
        width: typeof change.width === 'number' ? clampFrameWidth(change.width) : layout.width,
      };
      apply();
      void save();
      return layout;
    },
    open(url) {
      if (!isOpenableUrl(url)) return false;
      location.assign(url);
      return true;
    },
    watchColorScheme(listener) {
      schemeListener = listener;
      return pageScheme.current();
    },
  };
  frame.addEventListener('load', () => {
    // A fresh channel for every load of the frame: the sidebar page reloads on its own, and the
    // frame reloads when a single-page app removed it and it was put back.
    const channel = new MessageChannel();
    expose(frameHost, channel.port1);
    frame.contentWindow?.postMessage({ type: FRAME_CONNECT, secret }, extensionOrigin, [
      channel.port2,
    ]);
  });
  addEventListener('resize', apply);

  const used = () => {
    messaging
      .sendMessage('crmTabUsed', undefined)
      .then((answer) => show(answer.shown))
      .catch(() => {
        // The extension was reloaded or the worker is restarting: the next use reports again.
      });
  };
  elsewhere.addEventListener('click', used);
  // Only when the sidebar is elsewhere: a tab that shows it needs no report per click.
  const usedIfElsewhere = () => {
    if (frame.hidden) used();
  };
  const listening = { signal: stopped.signal };
  window.addEventListener('focus', usedIfElsewhere, listening);
  window.addEventListener('pointerdown', usedIfElsewhere, {
    ...listening,
    capture: true,
    passive: true,
  });
  window.addEventListener('keydown', usedIfElsewhere, {
    ...listening,
    capture: true,
    passive: true,
  });
  document.addEventListener(
    'visibilitychange',
    () => {
      if (document.visibilityState === 'visible') usedIfElsewhere();
    },
    listening,
  );
  const stopListening = messaging.onMessage('sidebarShown', ({ data }) => {
    if (typeof data?.shown === 'boolean') show(data.shown);
  });
  const remove = () => {
    if (stopped.signal.aborted) return;
    stopped.abort();
    stopListening();
    pageScheme.stop();
    removeEventListener('resize', apply);
    dock.stop();
    host.remove();
  };
  ctx.onInvalidated(remove);
  raise(host);
  return { kind: 'frame', show, remove };
}

export default defineContentScript({
  // CRM pages of the built-in CRM platforms and loopback (extension/frame/crm-platforms.ts); other
  // origins an admin names are registered at run time (background/rule-scripts.ts). The
  // background decides from `crmMatches` whether this tab shows the sidebar.
  matches: [...sidebarMatches],
  runAt: 'document_idle',
  async main(ctx) {
    const page = globalThis as { [RUNNING]?: boolean };
    if (page[RUNNING] || window.top !== window) return;
    page[RUNNING] = true;
    // Only the frame that knows this secret (from its own URL, which the page cannot read inside
    // a closed shadow root) accepts the channel, and the background shows the caller only to a
    // framed sidebar whose secret our content script registered: a page's own copy gets nothing.
    const secret = crypto.randomUUID();
    let mounted: Mounted | undefined;
    let decided: string | undefined;
    let deciding: Promise<void> = Promise.resolve();

    const decideNow = async (): Promise<void> => {
      // A CRM tab opened or reloaded in front of the agent takes the sidebar; one behind does not.
      const inFront = document.visibilityState === 'visible';
      const [placement, stored] = await Promise.all([
        messaging.sendMessage('sidebarPlacement', { inFront, frameSecret: secret }),
        browser.storage.local.get(FRAME_LAYOUT_KEY),
      ]);
      if (ctx.isInvalid) return;
      const wanted = placement.sidePanel ? 'panel' : placement.mount ? 'frame' : undefined;
      if (mounted && mounted.kind !== wanted) {
        mounted.remove();
        mounted = undefined;
      }
      if (!mounted && wanted === 'panel') mounted = offerSidePanel(ctx);
      if (!mounted && wanted === 'frame')
        mounted = mountFrame(ctx, secret, readFrameLayout(stored[FRAME_LAYOUT_KEY]));
      if (mounted && 'shown' in placement) mounted.show(placement.shown !== false);
    };
    const decide = () => {
      deciding = deciding.then(decideNow).catch(() => {
        // The worker is restarting or the extension was reloaded: the next change decides again.
      });
      return deciding;
    };

    // Which pages show the sidebar, and where, follow the policy while the tab stays open
    // (shared/page-settings.ts): a page that became a CRM page mounts, one that left unmounts.
    const changed = (changes: Record<string, { newValue?: unknown }>, area: string) => {
      if (area !== 'local' || !(PAGE_SETTINGS_KEY in changes)) return;
      const settings = readPageSettings(changes[PAGE_SETTINGS_KEY]?.newValue);
      const key = JSON.stringify([settings?.crmMatches, settings?.sidebarPlacement]);
      if (key === decided) return;
      decided = key;
      void decide();
    };
    browser.storage.onChanged.addListener(changed);
    ctx.onInvalidated(() => browser.storage.onChanged.removeListener(changed));
    const stored = await browser.storage.local.get(PAGE_SETTINGS_KEY).catch(() => ({}));
    const settings = readPageSettings((stored as Record<string, unknown>)[PAGE_SETTINGS_KEY]);
    decided ??= JSON.stringify([settings?.crmMatches, settings?.sidebarPlacement]);
    await decide();
  },
});
