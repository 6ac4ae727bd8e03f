import { type ExtensionIdentity, requireOwnPage } from '../senders';
import type { BackgroundMessaging } from '../services';
import type { SettingsService } from '../settings-service';

export interface SettingsDeps {
  messaging: BackgroundMessaging;
  self: ExtensionIdentity;
  settings: Pick<SettingsService, 'view' | 'save' | 'testConnection' | 'clearLocalData'>;
}

/** The options page's settings: view, save, test the connection, clear what is kept locally. */
export function registerSettings({ messaging, self, settings }: SettingsDeps): void {
  messaging.onMessage('getSettings', ({ sender }) => {
    requireOwnPage(sender, self, 'getSettings');
    return settings.view();
  });
  messaging.onMessage('saveSettings', ({ data, sender }) => {
    requireOwnPage(sender, self, 'saveSettings');
    return settings.save(data);
  });
  messaging.onMessage('testConnection', ({ data, sender }) => {
    requireOwnPage(sender, self, 'testConnection');
    return settings.testConnection(data?.identity);
  });
  messaging.onMessage('clearLocalData', ({ sender }) => {
    requireOwnPage(sender, self, 'clearLocalData');
    return settings.clearLocalData();
  });
}
