import { AGENT_SETTINGS_KEY, type ConfigStore, POLICY_CACHE_KEY } from '../config-store';
import { type ContextService, clearOnSettingsChange } from '../context-service';
import type { PageSettingsPublisher } from '../page-settings';
import type { RuleScripts } from '../rule-scripts';
import type { BrowserEvent } from '../services';

export interface ConfigChangesDeps {
  browser: {
    permissions: { onAdded: BrowserEvent<() => void>; onRemoved: BrowserEvent<() => void> };
    storage: {
      onChanged: BrowserEvent<(changes: Record<string, unknown>, area: string) => void>;
    };
  };
  /** `chrome.sidePanel`; undefined where the browser has none. */
  sidePanel:
    | { setPanelBehavior(behavior: { openPanelOnActionClick: boolean }): Promise<void> }
    | undefined;
  config: Pick<ConfigStore, 'get' | 'refreshPolicy'>;
  ruleScripts: Pick<RuleScripts, 'sync'>;
  contextService: Pick<ContextService, 'clear'>;
  pageSettings: PageSettingsPublisher;
}

/**
 * What follows a change of policy, settings or granted origins: open tabs' content scripts get
 * the new rules and CRM pages (page settings), the scripts for admin-named origins are registered
 * afresh, the toolbar button opens the side panel or not, and cached contexts go when the
 * settings that fetched them changed. At each start the last known config is published at once,
 * and the managed policy is read once more.
 */
export function registerConfigChanges({
  browser,
  sidePanel,
  config,
  ruleScripts,
  contextService,
  pageSettings,
}: ConfigChangesDeps): void {
  const applyPlacement = async () => {
    const { config: current } = await config.get();
    // The side panel shows the same sidebar page; the toolbar button opens it.
    await sidePanel
      ?.setPanelBehavior({ openPanelOnActionClick: current.sidebarPlacement === 'sidePanel' })
      .catch(() => {});
  };
  const resync = () => {
    pageSettings
      .publish()
      .catch((error: unknown) => console.error('Caller Context: page settings', error));
    ruleScripts
      .sync()
      .catch((error: unknown) => console.error('Caller Context: rule scripts', error));
    void applyPlacement();
  };
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  browser.storage.onChanged.addListener((changes, area) => {
    // Not the page settings' own write, nor layouts and drafts: only what the config is made of.
    if (area === 'managed') resync();
    if (area === 'local' && (AGENT_SETTINGS_KEY in changes || POLICY_CACHE_KEY in changes))
      resync();
  });
  clearOnSettingsChange(browser.storage.onChanged, contextService, AGENT_SETTINGS_KEY);

  // Tabs opened at browser start detect with the last known config at once; the policy read
  // (seconds after a start) publishes again if it changed anything.
  void pageSettings.publish().catch(() => {});
  void config.refreshPolicy().then(resync);
}
