import { AGENT_SETTINGS_KEY, POLICY_CACHE_KEY } from '../config-store';
import { RETENTION_ALARM, type RetentionRunner } from '../retention';
import type { BrowserEvent } from '../services';

export interface RetentionRegistrationDeps {
  browser: {
    alarms: { onAlarm: BrowserEvent<(alarm: { name: string }) => void> };
    storage: {
      onChanged: BrowserEvent<(changes: Record<string, unknown>, area: string) => void>;
    };
  };
  retention: Pick<RetentionRunner, 'run' | 'soon'>;
}

/**
 * Finished calls' customer data leaves the browser on time (config `callDataRetentionHours`):
 * deleted at this start, on the retention alarm, and shortly after the window is changed.
 */
export function registerRetention({ browser, retention }: RetentionRegistrationDeps): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RETENTION_ALARM) void retention.run();
  });
  browser.storage.onChanged.addListener((changes, area) => {
    const settings =
      area === 'managed' ||
      (area === 'local' && (AGENT_SETTINGS_KEY in changes || POLICY_CACHE_KEY in changes));
    if (settings) retention.soon();
  });

  void retention.run();
}
