import { AGENT_SETTINGS_KEY, POLICY_CACHE_KEY } from '../config-store';
import { PRESENCE_ALARM, type Presence } from '../presence';
import type { BrowserEvent } from '../services';

export interface PresenceRegistrationDeps {
  browser: {
    alarms: { onAlarm: BrowserEvent<(alarm: { name: string }) => void> };
    windows: { onRemoved: BrowserEvent<(windowId: number) => void> };
    storage: {
      onChanged: BrowserEvent<(changes: Record<string, unknown>, area: string) => void>;
    };
  };
  presence: Pick<Presence, 'sync' | 'schedule' | 'windowClosed'>;
}

/**
 * The agent's presence for the IVR's routing: told at this start, on the heartbeat alarm, and as
 * `offline` when the last window closes, and again when the settings change (another gateway or
 * token). Changes of the call are told where the calls change (background/services.ts).
 */
export function registerPresence({ browser, presence }: PresenceRegistrationDeps): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === PRESENCE_ALARM) presence.sync('heartbeat').catch(reportFailure);
  });
  browser.windows.onRemoved.addListener(() => {
    presence.windowClosed().catch(reportFailure);
  });
  browser.storage.onChanged.addListener((changes, area) => {
    const settings =
      area === 'managed' ||
      (area === 'local' && (AGENT_SETTINGS_KEY in changes || POLICY_CACHE_KEY in changes));
    if (settings) presence.sync('change').catch(reportFailure);
  });

  presence.schedule().catch(reportFailure);
  presence.sync('change').catch(reportFailure);
}

/** Presence is best effort: the next heartbeat tells the state again. */
function reportFailure(error: unknown): void {
  console.debug('presence not sent:', error instanceof Error ? error.message : error);
}
