import type { ResolvedConfig } from '../shared/config';
import { PAGE_SETTINGS_KEY, type PageSettings, pageSettingsOf } from '../shared/page-settings';

export interface PageSettingsDeps {
  local: {
    get(keys: string[]): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  config(): Promise<ResolvedConfig>;
}

/**
 * Publishes what content scripts need of the effective config (shared/page-settings.ts) each
 * time it may have changed: at every worker start from the last known config (so tabs opened at
 * browser start use it at once), then after the policy is read, and on every change of policy or
 * settings. Writes only when something changed, one write at a time, the newest last.
 */
export function createPageSettings(deps: PageSettingsDeps) {
  let queue: Promise<void> = Promise.resolve();
  const publishNow = async (): Promise<void> => {
    const next: PageSettings = pageSettingsOf((await deps.config()).config);
    const stored = (await deps.local.get([PAGE_SETTINGS_KEY]))[PAGE_SETTINGS_KEY];
    if (JSON.stringify(stored) === JSON.stringify(next)) return;
    await deps.local.set({ [PAGE_SETTINGS_KEY]: next });
  };
  return {
    publish(): Promise<void> {
      queue = queue.then(publishNow, publishNow);
      return queue;
    },
  };
}

export type PageSettingsPublisher = ReturnType<typeof createPageSettings>;
