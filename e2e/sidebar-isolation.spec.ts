import type { Page } from '@playwright/test';
import { EXTENSION_ID } from '../demo/chromium';
import { expect, ring, test } from './fixtures';
import { CrmPage } from './pages/crm.page';

/**
 * The CRM page's own scripts (and any third-party script on it) must not read what the sidebar
 * shows (docs/architecture.md, "The page never holds customer data"). Everything here runs as the CRM page's
 * scripts do: `addInitScript` and `evaluate` run in the page's main world, `addInitScript`
 * before any script of the page and before the extension's content script.
 *
 * Each probe is shown to work first (a control): it finds text the page holds in its own DOM,
 * open and closed shadow roots and a same-origin frame, and records keys typed into the page's
 * own search box. Only then does it count that it finds nothing of the caller.
 */

// Jane Doe (demo seed): what the sidebar shows of her, and the CRM view that shows none of it.
const JANE = '+44 20 7946 0123';
const CALLER_DATA = ['Jane Doe', 'jane.doe@example.com', 'Marco Rossi', 'Returns and replacements'];
const UNRELATED_RECORD = '/crm#/contact/cust-1002';
const UNRELATED_NAME = 'Tom Baker';
const NOTES = 'Qx7 vowed zipper jukebox';
const NOTES_BY_INPUT_METHOD = ' größe ñ';
const CONTROL_TEXT = 'Wyvern';
/** The sidebar page in a frame the CRM page made itself (without the mounting script's secret). */
// A secret shaped like the content script's: the page can choose any, none is registered.
const PAGE_MADE_SIDEBAR = `chrome-extension://${EXTENSION_ID}/sidebar.html#0b6f2a1e-4c1d-4a8e-9d55-3f1c2b7a9e10`;

/** What the hostile page script saw; kept on `window`, so `evaluate` can read it. */
interface HostileLog {
  /** Shadow roots caught by the patched `attachShadow` (forced open). */
  shadowRoots: ShadowRoot[];
  /** Frames seen through the patched `HTMLIFrameElement` getters and setters. */
  frames: string[];
  /** Every key, input and composition event the page's listeners got, as text. */
  keys: string[];
  /** Every `message` event the page's window got, as text. */
  messages: string[];
  /** Every call of the patched DOM methods in the page's world, as text. */
  calls: string[];
}

/**
 * A hostile CRM page, installed before anything else runs: it forces every shadow root open and
 * keeps it, watches iframes being set up, and listens to every key and message it can.
 */
function installHostilePage(): void {
  const log: HostileLog = { shadowRoots: [], frames: [], keys: [], messages: [], calls: [] };
  (window as unknown as { hostile: HostileLog }).hostile = log;

  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (this: Element, init: ShadowRootInit) {
    const root = attachShadow.call(this, { ...init, mode: 'open' });
    log.shadowRoots.push(root);
    log.calls.push(`attachShadow <${this.localName}>`);
    return root;
  };

  const iframe = HTMLIFrameElement.prototype;
  for (const name of ['src', 'srcdoc', 'contentWindow', 'contentDocument'] as const) {
    const own = Object.getOwnPropertyDescriptor(iframe, name);
    if (!own) continue;
    Object.defineProperty(iframe, name, {
      ...own,
      get(this: HTMLIFrameElement) {
        const value: unknown = own.get?.call(this);
        log.frames.push(`get ${name}`);
        return value;
      },
      set: own.set
        ? function (this: HTMLIFrameElement, value: unknown) {
            log.frames.push(`set ${name} ${String(value)}`);
            own.set?.call(this, value);
          }
        : undefined,
    });
  }
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
    log.calls.push(`setAttribute <${this.localName}> ${name}=${value}`);
    setAttribute.call(this, name, value);
  };
  const append = Element.prototype.append;
  Element.prototype.append = function (this: Element, ...nodes: (Node | string)[]) {
    log.calls.push(`append <${this.localName}> ${nodes.map((n) => String(n)).join(' ')}`);
    append.apply(this, nodes);
  };
  const postToPort = MessagePort.prototype.postMessage;
  MessagePort.prototype.postMessage = function (
    this: MessagePort,
    ...args: Parameters<MessagePort['postMessage']>
  ) {
    log.calls.push(`port.postMessage ${JSON.stringify(args[0])}`);
    postToPort.apply(this, args);
  } as MessagePort['postMessage'];

  const text = (event: Event): string => {
    const parts: unknown[] = [event.type, event.eventPhase];
    if (event instanceof KeyboardEvent) parts.push(event.key, event.code);
    if (event instanceof InputEvent || event instanceof CompositionEvent) parts.push(event.data);
    const target = event.target;
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement)
      parts.push(target.value);
    return parts.map(String).join(' ');
  };
  const types = ['keydown', 'keypress', 'keyup', 'beforeinput', 'input', 'compositionend'];
  for (const target of [window, document])
    for (const type of types)
      for (const capture of [true, false])
        target.addEventListener(type, (event) => log.keys.push(text(event)), { capture });
  window.addEventListener('message', (event) => {
    let data: string;
    try {
      data = JSON.stringify(event.data);
    } catch {
      data = String(event.data);
    }
    log.messages.push(`${event.origin} ${data} ports:${event.ports.length}`);
  });
}

/**
 * Everything a page script can reach of the page, as text: its markup and text, every open
 * shadow root (walked recursively), the roots it caught, every frame it can enter, the frames'
 * windows, the resource timeline. Which of `needles` it found, and how each frame answered.
 */
function probePage(needles: string[]) {
  const texts: string[] = [];
  const frameAccess: string[] = [];
  const seen = new Set<Node>();
  const walk = (root: Document | ShadowRoot | Element): void => {
    if (seen.has(root)) return;
    seen.add(root);
    if (root instanceof Element) texts.push(root.outerHTML);
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) {
        texts.push(element.shadowRoot.innerHTML);
        walk(element.shadowRoot);
      }
      if (element instanceof HTMLIFrameElement) {
        try {
          const inner = element.contentDocument ?? element.contentWindow?.document ?? null;
          frameAccess.push(inner ? `iframe ${element.src}: read` : `iframe ${element.src}: null`);
          if (inner) walk(inner.documentElement);
        } catch (error) {
          frameAccess.push(`iframe ${element.src}: ${(error as Error).name}`);
        }
      }
    }
  };
  texts.push(
    document.documentElement.outerHTML,
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, as a page script reads it.
    document.documentElement.innerText,
    document.documentElement.textContent ?? '',
    document.title,
  );
  walk(document);
  const log = (window as unknown as { hostile: HostileLog }).hostile;
  for (const root of log.shadowRoots) {
    texts.push(root.innerHTML);
    walk(root);
  }
  for (let i = 0; i < window.frames.length; i++) {
    try {
      const inner = window.frames[i]?.document;
      frameAccess.push(`frames[${i}]: ${inner ? 'read' : 'null'}`);
      if (inner) walk(inner.documentElement);
    } catch (error) {
      frameAccess.push(`frames[${i}]: ${(error as Error).name}`);
    }
  }
  texts.push(...performance.getEntries().map((entry) => entry.name));
  const host = document.querySelector('caller-context-sidebar');
  const all = texts.join('\n');
  return {
    found: needles.filter((needle) => all.includes(needle)),
    frameAccess,
    frameCount: window.frames.length,
    hostFound: host !== null,
    hostShadowRoot: host ? host.shadowRoot !== null : undefined,
    caughtRoots: log.shadowRoots.map((root) => root.host.localName),
    timeline: performance.getEntries().map((entry) => entry.name),
  };
}

/**
 * The page's own share of what is probed: an open and a closed shadow root, a same-origin frame,
 * and a frame of its own showing the sidebar page (web-accessible, so that the content script can
 * mount it; a hostile page can frame it too, but its copy shows no caller).
 */
async function addPageOwnedControls(page: Page): Promise<void> {
  await page.evaluate(
    async ({ marker, sidebarUrl }) => {
      const open = document.createElement('page-widget-open');
      open.attachShadow({ mode: 'open' }).textContent = `${marker} in an open root`;
      const closed = document.createElement('page-widget-closed');
      closed.attachShadow({ mode: 'closed' }).textContent = `${marker} in a closed root`;
      const frame = document.createElement('iframe');
      frame.srcdoc = `<p>${marker} in a frame of the page</p>`;
      const loaded = new Promise((done) => frame.addEventListener('load', done, { once: true }));
      const copy = document.createElement('iframe');
      copy.src = sidebarUrl;
      copy.style.cssText = 'width: 360px; height: 600px';
      document.body.append(open, closed, frame, copy);
      await loaded;
      window.postMessage(`${marker} posted by the page`, '*');
    },
    {
      marker: CONTROL_TEXT,
      sidebarUrl: PAGE_MADE_SIDEBAR,
    },
  );
}

async function hostileLog(page: Page): Promise<HostileLog> {
  return page.evaluate(() => {
    const log = (window as unknown as { hostile: HostileLog }).hostile;
    // Shadow roots do not cross into the test; their hosts' names say enough.
    return { ...log, shadowRoots: [] };
  });
}

test("the CRM page's scripts cannot read the caller through the DOM, shadow roots or frames", async ({
  extension,
  stack,
}) => {
  const crm = new CrmPage(await extension.context.newPage(), stack.demo.url);
  await crm.page.addInitScript(installHostilePage);
  await crm.goto(UNRELATED_RECORD);
  const sidebar = await crm.sidebar();
  await addPageOwnedControls(crm.page);
  await ring(await extension.context.newPage(), stack.demo.url, JANE);
  // The agent's view: the sidebar shows the caller.
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(
    sidebar
      .getByRole('list', { name: 'Recent web activity' })
      .getByText('Returns and replacements')
      .first(),
  ).toBeVisible();
  await expect(sidebar.getByText('Marco Rossi')).toBeVisible();
  // The page's own copy of the sidebar page was not mounted by our content script: the
  // background does not know its secret, and it shows no caller (nothing to steal or to click).
  const copy = crm.page.frameLocator(`iframe[src="${PAGE_MADE_SIDEBAR}"]`);
  await expect(copy.getByText('was not opened by the extension')).toBeVisible();
  await expect(copy.getByRole('heading', { name: 'Jane Doe' })).toHaveCount(0);
  await expect(copy.getByRole('button')).toHaveCount(0);

  const seen = await crm.page.evaluate(probePage, [
    ...CALLER_DATA,
    `${CONTROL_TEXT} in an open root`,
    `${CONTROL_TEXT} in a closed root`,
    `${CONTROL_TEXT} in a frame of the page`,
    UNRELATED_NAME,
  ]);
  // The probe reads what the page holds, forced-open closed roots and its own frame included...
  expect(seen.found).toEqual([
    `${CONTROL_TEXT} in an open root`,
    `${CONTROL_TEXT} in a closed root`,
    `${CONTROL_TEXT} in a frame of the page`,
    UNRELATED_NAME,
  ]);
  // ...but nothing of the caller.
  expect(seen.found.filter((text) => CALLER_DATA.includes(text))).toEqual([]);
  // The sidebar's host is in the page, and its closed root stays closed: the page's patched
  // attachShadow caught only the page's own call (the content script has its own prototypes).
  expect(seen.hostFound).toBe(true);
  expect(seen.hostShadowRoot).toBe(false);
  expect(seen.caughtRoots).toEqual(['page-widget-open', 'page-widget-closed']);
  // The mounted sidebar's frame is not even among the page's frames (it sits in a closed root);
  // the page's own copy of it is, and every way into it is refused as cross-origin.
  expect(seen.frameCount).toBe(2);
  expect(seen.frameAccess).toEqual([
    'iframe : read',
    `iframe ${PAGE_MADE_SIDEBAR}: SecurityError`,
    'frames[0]: read',
    'frames[1]: SecurityError',
  ]);
  // The resource timeline names no extension page (and so no channel secret).
  expect(seen.timeline.filter((name) => name.startsWith('chrome-extension:'))).toEqual([]);

  const log = await hostileLog(crm.page);
  // The patched iframe accessors and DOM methods saw the page's own calls, none of the extension's.
  expect(log.frames.some((entry) => entry.startsWith('set srcdoc'))).toBe(true);
  expect(log.frames.some((entry) => entry === `set src ${PAGE_MADE_SIDEBAR}`)).toBe(true);
  expect(
    log.frames.filter((entry) => entry.includes('sidebar') && !entry.includes(PAGE_MADE_SIDEBAR)),
  ).toEqual([]);
  expect(log.calls).toContain('attachShadow <page-widget-closed>');
  expect(
    log.calls.filter((entry) => /caller-context|sidebar|chrome-extension/.test(entry)),
  ).toEqual([]);
  expect(log.messages.some((entry) => entry.includes(`${CONTROL_TEXT} posted by the page`))).toBe(
    true,
  );
  for (const text of CALLER_DATA)
    expect(log.messages.filter((entry) => entry.includes(text))).toEqual([]);
});

test("the CRM page's key and message listeners get nothing of the notes the agent types in the sidebar", async ({
  extension,
  stack,
}) => {
  const crm = new CrmPage(await extension.context.newPage(), stack.demo.url);
  await crm.page.addInitScript(installHostilePage);
  await crm.goto(UNRELATED_RECORD);
  const sidebar = await crm.sidebar();
  const softphone = await extension.context.newPage();
  await ring(softphone, stack.demo.url, JANE);
  await softphone.evaluate(() => window.softphone.answer());
  await crm.page.bringToFront();
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await sidebar.getByRole('button', { name: 'Wrap up now' }).click();
  const notes = sidebar.getByLabel('Notes');
  await expect(notes).toBeVisible();
  await crm.page.evaluate(() => {
    const log = (window as unknown as { hostile: HostileLog }).hostile;
    log.keys.length = 0;
    log.messages.length = 0;
  });

  // The agent types the notes: keys, then text from an input method (no key events at all).
  await notes.click();
  await crm.page.keyboard.type(NOTES);
  await crm.page.keyboard.insertText(NOTES_BY_INPUT_METHOD);
  await expect(notes).toHaveValue(NOTES + NOTES_BY_INPUT_METHOD);
  const whileTypingNotes = await hostileLog(crm.page);

  // Control: the same listeners do record what is typed into the CRM page itself.
  await crm.page.getByRole('searchbox', { name: 'Search contacts and cases' }).click();
  await crm.page.keyboard.type(CONTROL_TEXT);
  await crm.page.keyboard.insertText(NOTES_BY_INPUT_METHOD);
  const afterControl = await hostileLog(crm.page);
  const controlKeys = afterControl.keys.slice(whileTypingNotes.keys.length);
  for (const character of CONTROL_TEXT)
    expect(controlKeys.some((entry) => entry.split(' ')[2] === character)).toBe(true);
  expect(controlKeys.some((entry) => entry.startsWith('beforeinput 1'))).toBe(true);
  expect(controlKeys.some((entry) => entry.endsWith(CONTROL_TEXT + NOTES_BY_INPUT_METHOD))).toBe(
    true,
  );

  // Nothing at all reached the page while the agent typed in the sidebar, and no message.
  expect(whileTypingNotes.keys).toEqual([]);
  const typed = new Set([...NOTES, ...NOTES_BY_INPUT_METHOD].filter((c) => c.trim() !== ''));
  const everything = [
    ...whileTypingNotes.keys,
    ...whileTypingNotes.messages,
    ...afterControl.messages,
  ];
  expect(everything.filter((entry) => [...entry].some((c) => typed.has(c)))).toEqual([]);
  expect(afterControl.messages).toEqual([]);
});
