import { RETENTION_ALARM, type RetentionRunner } from '../retention';
import type { BrowserEvent } from '../services';

export interface RetentionRegistrationDeps {
  browser: { alarms: { onAlarm: BrowserEvent<(alarm: { name: string }) => void> } };
  retention: Pick<RetentionRunner, 'run'>;
}

/**
 * Finished calls' customer data leaves the browser on time (config `callDataRetentionHours`):
 * deleted at this start and on the retention alarm. A changed window is applied shortly after
 * the settings change (background/register/config-changes.ts).
 */
export function registerRetention({ browser, retention }: RetentionRegistrationDeps): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RETENTION_ALARM) void retention.run();
  });

  void retention.run();
}
