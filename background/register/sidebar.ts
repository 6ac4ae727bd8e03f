import type { CallerService } from '../caller-service';
import type { ConfigStore } from '../config-store';
import { type ExtensionIdentity, isOwnContentScript, requireOwnPage } from '../senders';
import type { BackgroundMessaging, BrowserEvent } from '../services';
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
  /** `chrome.sidePanel`; undefined where the browser has none. */
  sidePanel: { open(options: { tabId: number }): Promise<void> } | undefined;
  messaging: BackgroundMessaging;
  self: ExtensionIdentity;
  config: Pick<ConfigStore, 'get'>;
  callerService: Pick<CallerService, 'sidebarPlacement'>;
  sidebarTabs: Pick<SidebarTabs, 'register' | 'used' | 'removed'>;
  sidebarFrames: Pick<SidebarFrames, 'isSecret' | 'register' | 'trusted' | 'forget'>;
}

/**
 * The sidebar: which CRM tab shows it (the one the agent used last), the side panel, and the
 * sidebar's own settings.
 */
export function registerSidebar({
  browser,
  sidePanel,
  messaging,
  self,
  config,
  callerService,
  sidebarTabs,
  sidebarFrames,
}: SidebarDeps): void {
  messaging.onMessage('sidebarPlacement', async ({ data, sender }) => {
    const placement = await callerService.sidebarPlacement(sender);
    const tabId = sender.tab?.id;
    if (!placement.mount || tabId === undefined) return placement;
    // Known before the frame loads: the content script mounts it only after this answer.
    if (!placement.sidePanel && sidebarFrames.isSecret(data?.frameSecret))
      await sidebarFrames.register(tabId, data.frameSecret);
    return { mount: true, ...(await sidebarTabs.register(tabId, data?.inFront === true)) };
  });
  messaging.onMessage('sidebarFrameTrusted', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'sidebarFrameTrusted');
    return { trusted: await sidebarFrames.trusted(sender, data?.secret) };
  });
  messaging.onMessage('openSidePanel', ({ sender }) => {
    const tabId = sender.tab?.id;
    if (!isOwnContentScript(sender, self) || tabId === undefined)
      throw new Error('openSidePanel: not from a tab');
    if (!sidePanel) return { opened: false, error: 'This browser has no side panel.' };
    // Called before anything is awaited: Chrome opens the panel only within the click's gesture.
    // https://developer.chrome.com/docs/extensions/reference/api/sidePanel#method-open
    return sidePanel.open({ tabId }).then(
      () => ({ opened: true }),
      (error: unknown) => ({
        opened: false,
        error: error instanceof Error ? error.message : 'The side panel did not open.',
      }),
    );
  });
  messaging.onMessage('crmTabUsed', ({ sender }) => {
    if (!isOwnContentScript(sender, self)) throw new Error('crmTabUsed: not from a tab');
    return sidebarTabs.used(sender.tab.id);
  });
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
  messaging.onMessage('getSidebarSettings', async ({ sender }) => {
    requireOwnPage(sender, self, 'getSidebarSettings');
    const { config: current } = await config.get();
    return { crmActions: current.crmActions, consentMasking: current.consentMasking };
  });
}
