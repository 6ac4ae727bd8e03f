import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { messaging } from '../shared/protocol';

const WIDTH = 360;

export default defineContentScript({
  // CRM pages of the known platforms, and loopback for the demo and the tests; the background
  // decides from `crmMatches` whether this tab shows the sidebar.
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  async main(ctx) {
    const { mount } = await messaging.sendMessage('sidebarPlacement', undefined);
    if (!mount || ctx.isInvalid) return;
    // The sidebar is an extension page in an iframe: the CRM page's scripts cannot read
    // the customer data inside it (DESIGN.md, "The page never holds customer data").
    const host = document.createElement('caller-context-sidebar');
    const root = host.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = `
      :host { all: initial; position: fixed; top: 0; right: 0; bottom: 0; width: ${WIDTH}px;
        z-index: 2147483646; box-shadow: -2px 0 12px rgb(0 0 0 / 0.15); }
      iframe { border: 0; width: 100%; height: 100%; color-scheme: normal; }
      @media (max-width: 720px) { :host { width: min(100vw, 320px); } }`;
    const frame = document.createElement('iframe');
    frame.src = browser.runtime.getURL('/sidebar.html');
    frame.title = 'Caller Context';
    frame.setAttribute('data-caller-context', 'sidebar');
    root.append(style, frame);
    document.documentElement.append(host);
    ctx.onInvalidated(() => host.remove());
  },
});
