import { type ConfigStore, configChange } from '../config-store';
import type { ContextService } from '../context-service';
import type { PageSettingsPublisher } from '../page-settings';
import { type Presence, reportPresenceFailure } from '../presence';
import type { RetentionRunner } from '../retention';
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
  config: Pick<ConfigStore, 'get' | 'refreshPolicy' | 'storageChanged'>;
  ruleScripts: Pick<RuleScripts, 'sync'>;
  contextService: Pick<ContextService, 'clear'>;
  pageSettings: PageSettingsPublisher;
  presence: Pick<Presence, 'sync'>;
  retention: Pick<RetentionRunner, 'soon'>;
}

/**
 * The worker's one listener for changes of policy, settings or granted origins, fanning out to
 * what depends on them: the config store (a changed policy is read again, the kept config
 * forgotten), open tabs' content scripts get the new rules and CRM pages (page
 * settings), the scripts for admin-named origins are registered afresh, the toolbar button opens
 * the side panel or not, cached contexts go when the settings that fetched them changed, the
 * agent's presence is told again (another gateway or token), and the retention window is applied.
 * At each start the last known config is published at once, and the managed policy is read once
 * more.
 */
export function registerConfigChanges({
  browser,
  sidePanel,
  config,
  ruleScripts,
  contextService,
  pageSettings,
  presence,
  retention,
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
    // The config first: what follows reads it.
    config.storageChanged?.(changes, area);
    const change = configChange(changes, area);
    if (!change.config) return;
    resync();
    // Contexts fetched under the old settings go (the policy's cached copy changes no setting).
    if (change.agentOrPolicy) void contextService.clear().catch(() => {});
    presence.sync('change').catch(reportPresenceFailure);
    retention.soon();
  });

  // Tabs opened at browser start detect with the last known config at once; the policy read
  // (seconds after a start) publishes again if it changed anything.
  void pageSettings.publish().catch(() => {});
  void config.refreshPolicy().then(resync);
}
