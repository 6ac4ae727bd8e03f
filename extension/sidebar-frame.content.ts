import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { messaging } from '../shared/protocol';

const WIDTH = 360;

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
    const { mount, shown, sidePanel } = await messaging.sendMessage('sidebarPlacement', {
      inFront,
    });
    if (ctx.isInvalid) return;
    if (sidePanel) return offerSidePanel(ctx);
    if (!mount) return;
    // The sidebar is an extension page in an iframe: the CRM page's scripts cannot read
    // the customer data inside it (DESIGN.md, "The page never holds customer data").
    const host = document.createElement('caller-context-sidebar');
    const root = host.attachShadow({ mode: 'closed' });
    const style = document.createElement('style');
    style.textContent = `
      :host { all: initial; position: fixed; top: 0; right: 0; bottom: 0; width: ${WIDTH}px;
        z-index: 2147483646; box-shadow: -2px 0 12px rgb(0 0 0 / 0.15); }
      :host([data-elsewhere]) { top: auto; bottom: 16px; width: auto; box-shadow: none; }
      iframe { border: 0; width: 100%; height: 100%; color-scheme: normal; }
      ${BUTTON_STYLE}
      @media (max-width: 720px) { :host(:not([data-elsewhere])) { width: min(100vw, 320px); } }`;
    const frame = document.createElement('iframe');
    frame.src = browser.runtime.getURL('/sidebar.html');
    frame.title = 'Caller Context';
    frame.setAttribute('data-caller-context', 'sidebar');
    // Shown when the sidebar is in another CRM tab: one click (or Enter) brings it here.
    const elsewhere = document.createElement('button');
    elsewhere.type = 'button';
    elsewhere.textContent = 'Caller Context is shown in another tab: show here';
    elsewhere.setAttribute('data-caller-context', 'elsewhere');
    root.append(style, frame, elsewhere);

    const show = (here: boolean) => {
      // The frame stays loaded while hidden, so coming back is instant.
      frame.hidden = !here;
      elsewhere.hidden = here;
      host.toggleAttribute('data-elsewhere', !here);
    };
    show(shown !== false);
    document.documentElement.append(host);

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
      host.remove();
    });
  },
});
