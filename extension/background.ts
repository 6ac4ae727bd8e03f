import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { authorizedFetch } from '../background/authorized-fetch';
import { createCallSessions } from '../background/call-sessions';
import { createCallerService } from '../background/caller-service';
import { createConfigStore } from '../background/config-store';
import { openDatabase } from '../background/db';
import { createLiveActivity } from '../background/live-activity';
import { requireOwnPage } from '../background/senders';
import { createSettingsService } from '../background/settings-service';
import { createSignIn, SignInError } from '../background/sign-in';
import type { SignInView } from '../shared/protocol';
import { messaging } from '../shared/protocol';

export default defineBackground(() => {
  const config = createConfigStore(browser.storage);
  const self = { extensionId: browser.runtime.id, extensionOrigin: browser.runtime.getURL('/') };
  const db = openDatabase();
  const signIn = createSignIn({
    identity: browser.identity,
    session: browser.storage.session,
    fetch: (input, init) => fetch(input, init),
  });
  const gatewayFetch = authorizedFetch(
    (input, init) => fetch(input, init),
    async () => (await config.get()).config,
    signIn,
  );
  const liveActivity = createLiveActivity({
    sessions: db.then((database) => createCallSessions({ db: database })),
    config,
    fetch: gatewayFetch,
  });
  const settings = createSettingsService({
    storage: browser.storage,
    config,
    db,
    fetch: gatewayFetch,
  });
  const service = createCallerService({
    ...self,
    db,
    config,
    fetch: gatewayFetch,
    broadcast: (session) => {
      // Rejects when no sidebar is open to hear it; the sidebar asks again when it opens.
      messaging.sendMessage('callChanged', session).catch(() => {});
    },
  });
  // Listeners first, synchronously, so the event that woke the worker is not missed.
  messaging.onMessage('reportCaller', ({ data, sender }) => service.reportCaller(data, sender));
  messaging.onMessage('getCurrentCall', ({ sender }) => service.getCurrentCall(sender));
  messaging.onMessage('sidebarPlacement', ({ sender }) => service.sidebarPlacement(sender));
  messaging.onMessage('refreshActivity', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'refreshActivity');
    if (typeof data?.callId !== 'string') return { ok: false, error: 'callId is required' };
    try {
      const session = await liveActivity.refresh(data.callId);
      if (session) messaging.sendMessage('callChanged', session).catch(() => {});
      return { ok: true };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : 'refresh failed' };
    }
  });
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
  const signInView = async (error?: string): Promise<SignInView> => {
    const { oidc } = (await config.get()).config;
    if (!oidc) return { required: false, signedIn: false };
    return { required: true, ...(await signIn.status(oidc)), ...(error ? { error } : {}) };
  };
  messaging.onMessage('getSignInStatus', ({ sender }) => {
    requireOwnPage(sender, self, 'getSignInStatus');
    return signInView();
  });
  messaging.onMessage('signIn', async ({ sender }) => {
    requireOwnPage(sender, self, 'signIn');
    const { oidc } = (await config.get()).config;
    if (!oidc) return signInView();
    try {
      await signIn.signIn(oidc);
      return signInView();
    } catch (error) {
      return signInView(error instanceof SignInError ? error.message : 'Sign-in failed.');
    }
  });
  messaging.onMessage('signOut', async ({ sender }) => {
    requireOwnPage(sender, self, 'signOut');
    await signIn.signOut();
    return signInView();
  });
  void config.refreshPolicy();
  void service.resume();
});
