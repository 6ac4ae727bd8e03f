import type { BrowserEvent } from '../services';
import type { SidebarFrames } from '../sidebar-frames';
import type { SidebarTabs } from '../sidebar-tabs';

export interface SidebarDeps {
  browser: {
    tabs: {
      onActivated: BrowserEvent<(info: { tabId: number }) => void>;
      onRemoved: BrowserEvent<(tabId: number) => void>;
      query(filter: { active: true; windowId: number }): Promise<{ id?: number }[]>;
    };
    /** Missing where the browser has no windows (Firefox for Android). */
    windows?: { onFocusChanged: BrowserEvent<(windowId: number) => void>; WINDOW_ID_NONE: number };
  };
  sidebarTabs: Pick<SidebarTabs, 'used' | 'removed'>;
  sidebarFrames: Pick<SidebarFrames, 'forget'>;
}

/**
 * The sidebar: which CRM tab shows it (the one the agent used last), followed as the agent
 * switches tabs and windows; a closed tab's frames are forgotten. The sidebar's messages are in
 * background/messages.ts.
 */
export function registerSidebar({ browser, sidebarTabs, sidebarFrames }: SidebarDeps): void {
  // Switching tabs or windows needs no permission for the tab id; only CRM tabs count.
  browser.tabs.onActivated.addListener(({ tabId }) => void sidebarTabs.used(tabId));
  browser.windows?.onFocusChanged.addListener((windowId) => {
    if (windowId === browser.windows?.WINDOW_ID_NONE) return;
    browser.tabs
      .query({ active: true, windowId })
      .then(([tab]) => (tab?.id === undefined ? undefined : sidebarTabs.used(tab.id)))
      .catch(() => {});
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    void sidebarTabs.removed(tabId);
    void sidebarFrames.forget(tabId);
  });
}
