import { AGENT_SETTINGS_KEY, type ConfigStore } from '../config-store';
import { type ContextService, clearOnSettingsChange } from '../context-service';
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
}

/**
 * What follows a change of policy, settings or granted origins: the admin rules' script is
 * registered afresh, the toolbar button opens the side panel or not, and cached contexts go when
 * the settings that fetched them changed. The managed policy is read once more at each start.
 */
export function registerConfigChanges({
  browser,
  sidePanel,
  config,
  ruleScripts,
  contextService,
}: ConfigChangesDeps): void {
  const applyPlacement = async () => {
    const { config: current } = await config.get();
    // The side panel shows the same sidebar page; the toolbar button opens it.
    await sidePanel
      ?.setPanelBehavior({ openPanelOnActionClick: current.sidebarPlacement === 'sidePanel' })
      .catch(() => {});
  };
  const resync = () => {
    ruleScripts
      .sync()
      .catch((error: unknown) => console.error('Caller Context: rule scripts', error));
    void applyPlacement();
  };
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'local' || area === 'managed') resync();
  });
  clearOnSettingsChange(browser.storage.onChanged, contextService, AGENT_SETTINGS_KEY);

  void config.refreshPolicy().then(resync);
}
