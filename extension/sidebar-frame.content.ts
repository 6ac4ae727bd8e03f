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
  readFrameLayout,
} from '../shared/frame-host';
import { type PageColorScheme, watchPageScheme } from '../shared/page-scheme';
import { messaging } from '../shared/protocol';

/** Below this much room for the CRM beside the sidebar, the sidebar overlays instead of pushing. */
const MIN_PAGE_WIDTH = 480;

const BUTTON_STYLE = `
  button { font: 13px system-ui, sans-serif; padding: 6px 10px; border: 1px solid #555;
    border-radius: 6px 0 0 6px; background: #fff; color: #111; cursor: pointer; }
  button:focus-visible { outline: 2px solid #0b57d0; outline-offset: 2px; }
  [hidden] { display: none; }`;

/**
 * Side-panel mode: no iframe in the page, only a small button (besides the toolbar's) that opens
 * the browser's side panel; the click's gesture is what lets the background open it.
 */
function offerSidePanel(ctx: ContentScriptContext): void {
  const host = document.createElement('caller-context-sidebar');
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = `:host { all: initial; position: fixed; right: 0; bottom: 16px;
    z-index: 2147483646; } p { font: 12px system-ui, sans-serif; margin: 4px 0 0; padding: 4px;
    background: #fff; color: #a00; max-width: 240px; } ${BUTTON_STYLE}`;
  const open = document.createElement('button');
  open.type = 'button';
  open.textContent = 'Open Caller Context';
  open.setAttribute('data-caller-context', 'open-side-panel');
  const problem = document.createElement('p');
  problem.setAttribute('role', 'alert');
  problem.hidden = true;
  open.addEventListener('click', () => {
    messaging
      .sendMessage('openSidePanel', undefined)
      .then(({ opened, error }) => {
        problem.hidden = opened;
        problem.textContent = opened ? '' : `The side panel did not open: ${error ?? 'unknown'}`;
      })
      .catch(() => {
        problem.hidden = false;
        problem.textContent = 'The extension was updated: reload this page.';
      });
  });
  root.append(style, open, problem);
  document.documentElement.append(host);
  ctx.onInvalidated(() => host.remove());
}

export default defineContentScript({
  // CRM pages of the known platforms, and loopback for the demo and the tests; the background
  // decides from `crmMatches` whether this tab shows the sidebar.
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  async main(ctx) {
    // A CRM tab opened or reloaded in front of the agent takes the sidebar; one loading behind does not.
    const inFront = document.visibilityState === 'visible';
    // Only the frame that knows this secret (from its own URL, which the page cannot read inside
    // a closed shadow root) accepts the channel, and the background shows the caller only to a
    // framed sidebar whose secret our content script registered: a page's own copy gets nothing.
    const secret = crypto.randomUUID();
    const [{ mount, shown, sidePanel }, stored] = await Promise.all([
      messaging.sendMessage('sidebarPlacement', { inFront, frameSecret: secret }),
      browser.storage.local.get(FRAME_LAYOUT_KEY),
    ]);
    if (ctx.isInvalid) return;
    if (sidePanel) return offerSidePanel(ctx);
    if (!mount) return;
    let layout = readFrameLayout(stored[FRAME_LAYOUT_KEY]);
    // The sidebar is an extension page in an iframe: the CRM page's scripts cannot read
    // the customer data inside it (DESIGN.md, "The page never holds customer data").
    const host = document.createElement('caller-context-sidebar');
    const root = host.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = `
      :host { all: initial; position: fixed; top: 0; right: 0; bottom: 0;
        z-index: 2147483646; box-shadow: -2px 0 12px rgb(0 0 0 / 0.15); }
      :host([data-elsewhere]) { top: auto; bottom: 16px; box-shadow: none; }
      iframe { border: 0; width: 100%; height: 100%; color-scheme: normal; }
      ${BUTTON_STYLE}`;
    const extensionOrigin = browser.runtime.getURL('/').replace(/\/$/, '');
    const frame = document.createElement('iframe');
    frame.src = `${extensionOrigin}/sidebar.html#${secret}`;
    frame.title = 'Caller Context';
    frame.setAttribute('data-caller-context', 'sidebar');
    // Shown when the sidebar is in another CRM tab: one click (or Enter) brings it here.
    const elsewhere = document.createElement('button');
    elsewhere.type = 'button';
    elsewhere.textContent = 'Caller Context is shown in another tab: show here';
    elsewhere.setAttribute('data-caller-context', 'elsewhere');
    root.append(style, frame, elsewhere);

    const page = document.documentElement;
    const marginBefore = page.style.marginRight;
    const apply = () => {
      if (frame.hidden) {
        // Shown in another tab: only the small button here, and the page keeps its full width.
        host.style.width = 'auto';
        page.style.marginRight = marginBefore;
        return;
      }
      const width = layout.collapsed ? COLLAPSED_FRAME_WIDTH : Math.min(layout.width, innerWidth);
      host.style.width = `${width}px`;
      // Docked, not floating: the CRM's own controls move aside rather than hide behind it.
      page.style.marginRight = innerWidth - width >= MIN_PAGE_WIDTH ? `${width}px` : marginBefore;
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
      // A fresh channel for every load of the frame (the sidebar page reloads on its own too).
      const channel = new MessageChannel();
      expose(frameHost, channel.port1);
      frame.contentWindow?.postMessage({ type: FRAME_CONNECT, secret }, extensionOrigin, [
        channel.port2,
      ]);
    });
    show(shown !== false);
    addEventListener('resize', apply);
    page.append(host);

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
    ctx.addEventListener(window, 'focus', usedIfElsewhere);
    ctx.addEventListener(window, 'pointerdown', usedIfElsewhere, { capture: true, passive: true });
    ctx.addEventListener(window, 'keydown', usedIfElsewhere, { capture: true, passive: true });
    ctx.addEventListener(document, 'visibilitychange', () => {
      if (document.visibilityState === 'visible') usedIfElsewhere();
    });
    const stopListening = messaging.onMessage('sidebarShown', ({ data }) => {
      if (typeof data?.shown === 'boolean') show(data.shown);
    });
    ctx.onInvalidated(() => {
      stopListening();
      pageScheme.stop();
      removeEventListener('resize', apply);
      page.style.marginRight = marginBefore;
      host.remove();
    });
  },
});
