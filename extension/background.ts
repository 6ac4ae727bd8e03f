import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createCallerService } from '../background/caller-service';
import { AGENT_SETTINGS_KEY, createConfigStore } from '../background/config-store';
import {
  clearOnSettingsChange,
  createContextService,
  gatewayFetcher,
} from '../background/context-service';
import { openDatabase } from '../background/db';
import { dynamicsDirectFetcher } from '../background/dynamics-direct';
import { createEntraAuth } from '../background/entra-auth';
import { messaging } from '../shared/protocol';

export default defineBackground(() => {
  const config = createConfigStore(browser.storage);
  const db = openDatabase();
  const contextService = createContextService({
    db,
    config,
    fetchers: (current) => {
      const fetchers = [gatewayFetcher(current)];
      // Needs the optional "identity" permission; without it only the gateway is asked.
      if (current.dynamicsDirect && browser.identity)
        fetchers.push(
          dynamicsDirectFetcher(
            current.dynamicsDirect,
            createEntraAuth({
              config: current.dynamicsDirect,
              identity: browser.identity,
              session: browser.storage.session,
              fetch: (input, init) => fetch(input, init),
            }),
          ),
        );
      return fetchers;
    },
  });
  const service = createCallerService({
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
    db,
    config,
    contextService,
    broadcast: (session) => {
      // Rejects when no sidebar is open to hear it; the sidebar asks again when it opens.
      messaging.sendMessage('callChanged', session).catch(() => {});
    },
  });
  // Listeners first, synchronously, so the event that woke the worker is not missed.
  messaging.onMessage('reportCaller', ({ data, sender }) => service.reportCaller(data, sender));
  messaging.onMessage('getCurrentCall', ({ sender }) => service.getCurrentCall(sender));
  messaging.onMessage('sidebarPlacement', ({ sender }) => service.sidebarPlacement(sender));
  clearOnSettingsChange(browser.storage.onChanged, contextService, AGENT_SETTINGS_KEY);
  void config.refreshPolicy();
  void service.resume();
});
