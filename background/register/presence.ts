import { PRESENCE_ALARM, type Presence, reportPresenceFailure } from '../presence';
import type { BrowserEvent } from '../services';

export interface PresenceRegistrationDeps {
  browser: {
    alarms: { onAlarm: BrowserEvent<(alarm: { name: string }) => void> };
    windows: { onRemoved: BrowserEvent<(windowId: number) => void> };
  };
  presence: Pick<Presence, 'sync' | 'schedule' | 'windowClosed'>;
}

/**
 * The agent's presence for the IVR's routing: told at this start, on the heartbeat alarm, and as
 * `offline` when the last window closes. Changes of the call are told by the call state
 * (background/call-state.ts), changes of the settings by background/register/config-changes.ts.
 */
export function registerPresence({ browser, presence }: PresenceRegistrationDeps): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === PRESENCE_ALARM) presence.sync('heartbeat').catch(reportPresenceFailure);
  });
  browser.windows.onRemoved.addListener(() => {
    presence.windowClosed().catch(reportPresenceFailure);
  });

  presence.schedule().catch(reportPresenceFailure);
  presence.sync('change').catch(reportPresenceFailure);
}
