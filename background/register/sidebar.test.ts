import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_CONFIG, resolveConfig } from '../../shared/config';
import type { ConfigStore } from '../config-store';
import type { MessageServices } from '../messages';
import { createSidebarFrames } from '../sidebar-frames';
import {
  messagesWith,
  OWN_CONTENT_SCRIPT,
  OWN_PAGE,
  SELF,
  STRANGER,
} from '../test-support/messaging';
import { registerSidebar } from './sidebar';

afterEach(() => fakeBrowser.reset());

const FRAME_SECRET = '0b6f2a1e-4c1d-4a8e-9d55-3f1c2b7a9e10';

function setup(options: { mount?: boolean; sidePanel?: MessageServices['sidePanel'] } = {}) {
  const sidebarFrames = createSidebarFrames(fakeBrowser.storage.session);
  const tabsUsed: number[] = [];
  const tabsRemoved: number[] = [];
  const registered: { tabId: number; inFront: boolean }[] = [];
  const config: Pick<ConfigStore, 'get'> = {
    get: async () => ({
      config: { ...DEFAULT_CONFIG, consentMasking: 'hide' },
      origins: resolveConfig({}).origins,
      problems: [],
    }),
  };
  const sidebarTabs = {
    register: async (tabId: number, inFront: boolean) => {
      registered.push({ tabId, inFront });
      return { shown: inFront };
    },
    used: async (tabId: number) => {
      tabsUsed.push(tabId);
      return { shown: true };
    },
    removed: async (tabId: number) => void tabsRemoved.push(tabId),
  };
  registerSidebar({
    browser: {
      tabs: {
        onActivated: fakeBrowser.tabs.onActivated,
        onRemoved: fakeBrowser.tabs.onRemoved,
        // WXT's fake keeps no active tab per window; window 4 shows tab 9 in front.
        query: async ({ active, windowId }) => (active && windowId === 4 ? [{ id: 9 }] : []),
      },
      windows: fakeBrowser.windows,
    },
    sidebarTabs,
    sidebarFrames,
  });
  const messages = messagesWith({
    sidePanel: options.sidePanel,
    config,
    callerService: {
      sidebarPlacement: async () => ({ mount: options.mount ?? true }),
    },
    sidebarTabs,
    sidebarFrames,
  });
  return { ...messages, tabsUsed, tabsRemoved, registered };
}

describe('sidebar: its registration and messages', () => {
  it('registers a CRM tab that mounts the sidebar, and whether the agent is looking at it', async () => {
    const { deliver, registered } = setup();
    expect(await deliver('sidebarPlacement', { inFront: true }, OWN_CONTENT_SCRIPT)).toEqual({
      mount: true,
      shown: true,
    });
    expect(registered).toEqual([{ tabId: 7, inFront: true }]);
  });

  it('registers no tab where the sidebar does not mount', async () => {
    const { deliver, registered } = setup({ mount: false });
    expect(await deliver('sidebarPlacement', undefined, OWN_CONTENT_SCRIPT)).toEqual({
      mount: false,
    });
    expect(registered).toEqual([]);
  });

  it('opens the side panel in the sender tab at once, inside the click that asked', async () => {
    const opened: number[] = [];
    const { deliver } = setup({
      sidePanel: { open: async ({ tabId }) => void opened.push(tabId) },
    });
    const answer = deliver('openSidePanel', undefined, OWN_CONTENT_SCRIPT);
    // Nothing awaited in between: Chrome refuses an open once the gesture has passed.
    expect(opened).toEqual([7]);
    expect(await answer).toEqual({ opened: true });
  });

  it('says why the side panel did not open', async () => {
    const refusing = setup({
      sidePanel: {
        open: async () => {
          throw new Error('No active side panel for tabId: 7');
        },
      },
    });
    expect(await refusing.deliver('openSidePanel', undefined, OWN_CONTENT_SCRIPT)).toEqual({
      opened: false,
      error: 'No active side panel for tabId: 7',
    });
    const without = setup({ sidePanel: undefined });
    expect(await without.deliver('openSidePanel', undefined, OWN_CONTENT_SCRIPT)).toEqual({
      opened: false,
      error: 'This browser has no side panel.',
    });
  });

  it('answers tab messages only from its own content scripts in a tab', async () => {
    const { deliver, tabsUsed } = setup({ sidePanel: { open: async () => {} } });
    await expect(deliver('openSidePanel', undefined, OWN_PAGE)).rejects.toThrow('not from a tab');
    await expect(
      deliver('openSidePanel', undefined, { ...STRANGER, tab: { id: 3 } }),
    ).rejects.toThrow('not from a tab');
    await expect(deliver('crmTabUsed', undefined, STRANGER)).rejects.toThrow('not from a tab');
    expect(await deliver('crmTabUsed', undefined, OWN_CONTENT_SCRIPT)).toEqual({ shown: true });
    expect(tabsUsed).toEqual([7]);
  });

  it('moves the sidebar with the tab and window the agent switches to, and forgets closed tabs', async () => {
    const { tabsUsed, tabsRemoved } = setup();
    await fakeBrowser.tabs.onActivated.trigger({ tabId: 5, windowId: 1 });
    expect(tabsUsed).toEqual([5]);
    // Focus leaving the browser moves nothing; a window coming to the front brings its tab.
    await fakeBrowser.windows.onFocusChanged.trigger(fakeBrowser.windows.WINDOW_ID_NONE);
    await fakeBrowser.windows.onFocusChanged.trigger(4);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(tabsUsed).toEqual([5, 9]);
    await fakeBrowser.tabs.onRemoved.trigger(5, { windowId: 1, isWindowClosing: false });
    expect(tabsRemoved).toEqual([5]);
  });

  it("gives the sidebar its settings, only to the extension's own pages", async () => {
    const { deliver } = setup();
    expect(await deliver('getSidebarSettings', undefined, OWN_PAGE)).toEqual({
      crmActions: DEFAULT_CONFIG.crmActions,
      consentMasking: 'hide',
    });
    await expect(deliver('getSidebarSettings', undefined, OWN_CONTENT_SCRIPT)).rejects.toThrow(
      'not from our pages',
    );
  });

  it('shows the caller only to the sidebar frame our content script mounted in that tab', async () => {
    const { deliver } = setup();
    // The sidebar page framed in tab 7 (the content script's tab), as Chrome names its sender.
    const framed = {
      ...OWN_PAGE,
      url: `${SELF.extensionOrigin}sidebar.html`,
      tab: { id: 7 },
      frameId: 3,
    };
    expect(await deliver('sidebarFrameTrusted', { secret: FRAME_SECRET }, framed)).toEqual({
      trusted: false,
    });
    await deliver(
      'sidebarPlacement',
      { inFront: true, frameSecret: FRAME_SECRET },
      OWN_CONTENT_SCRIPT,
    );
    expect(await deliver('sidebarFrameTrusted', { secret: FRAME_SECRET }, framed)).toEqual({
      trusted: true,
    });
    // A copy a page framed with a secret of its own; the side panel, framed by nobody.
    expect(await deliver('sidebarFrameTrusted', { secret: 'f'.repeat(36) }, framed)).toEqual({
      trusted: false,
    });
    expect(await deliver('sidebarFrameTrusted', {}, OWN_PAGE)).toEqual({ trusted: true });
    // Only our pages may ask; a closed tab's frames are forgotten.
    await expect(
      deliver('sidebarFrameTrusted', { secret: FRAME_SECRET }, OWN_CONTENT_SCRIPT),
    ).rejects.toThrow('not from our pages');
    await fakeBrowser.tabs.onRemoved.trigger(7, { windowId: 1, isWindowClosing: false });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await deliver('sidebarFrameTrusted', { secret: FRAME_SECRET }, framed)).toEqual({
      trusted: false,
    });
  });
});
