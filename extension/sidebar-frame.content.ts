import { expose } from 'comlink';
import { browser } from 'wxt/browser';
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
import { messaging } from '../shared/protocol';

/** Below this much room for the CRM beside the sidebar, the sidebar overlays instead of pushing. */
const MIN_PAGE_WIDTH = 480;

export default defineContentScript({
  // CRM pages of the known platforms, and loopback for the demo and the tests; the background
  // decides from `crmMatches` whether this tab shows the sidebar.
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  async main(ctx) {
    const [{ mount }, stored] = await Promise.all([
      messaging.sendMessage('sidebarPlacement', undefined),
      browser.storage.local.get(FRAME_LAYOUT_KEY),
    ]);
    if (!mount || ctx.isInvalid) return;
    let layout = readFrameLayout(stored[FRAME_LAYOUT_KEY]);
    // The sidebar is an extension page in an iframe: the CRM page's scripts cannot read
    // the customer data inside it (DESIGN.md, "The page never holds customer data").
    const host = document.createElement('caller-context-sidebar');
    const root = host.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = `
      :host { all: initial; position: fixed; top: 0; right: 0; bottom: 0;
        z-index: 2147483646; box-shadow: -2px 0 12px rgb(0 0 0 / 0.15); }
      iframe { border: 0; width: 100%; height: 100%; color-scheme: normal; }`;
    // Only the frame that knows this secret (from its own URL, which the page cannot read inside
    // a closed shadow root) accepts the channel: a page script cannot hand it a port of its own.
    const secret = crypto.randomUUID();
    const extensionOrigin = browser.runtime.getURL('/').replace(/\/$/, '');
    const frame = document.createElement('iframe');
    frame.src = `${extensionOrigin}/sidebar.html#${secret}`;
    frame.title = 'Caller Context';
    frame.setAttribute('data-caller-context', 'sidebar');
    root.append(style, frame);

    const page = document.documentElement;
    const marginBefore = page.style.marginRight;
    const apply = () => {
      const width = layout.collapsed ? COLLAPSED_FRAME_WIDTH : Math.min(layout.width, innerWidth);
      host.style.width = `${width}px`;
      // Docked, not floating: the CRM's own controls move aside rather than hide behind it.
      page.style.marginRight = innerWidth - width >= MIN_PAGE_WIDTH ? `${width}px` : marginBefore;
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
    };
    frame.addEventListener('load', () => {
      // A fresh channel for every load of the frame (the sidebar page reloads on its own too).
      const channel = new MessageChannel();
      expose(frameHost, channel.port1);
      frame.contentWindow?.postMessage({ type: FRAME_CONNECT, secret }, extensionOrigin, [
        channel.port2,
      ]);
    });
    apply();
    addEventListener('resize', apply);
    page.append(host);
    ctx.onInvalidated(() => {
      removeEventListener('resize', apply);
      page.style.marginRight = marginBefore;
      host.remove();
    });
  },
});
