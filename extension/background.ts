import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createAuditLog } from '../background/audit-log';
import { authorizedFetch } from '../background/authorized-fetch';
import { createCallSessions } from '../background/call-sessions';
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
import { createLiveActivity } from '../background/live-activity';
import { createOutbox } from '../background/outbox';
import { createOutboxWaker, OUTBOX_ALARM } from '../background/outbox-waker';
import { createRuleScripts, type RuleScriptApis } from '../background/rule-scripts';
import { isOwnContentScript, requireOwnPage } from '../background/senders';
import { createSettingsService } from '../background/settings-service';
import { createSidebarTabs } from '../background/sidebar-tabs';
import { createSignIn, SignInError } from '../background/sign-in';
import { registerVerbalConsent } from '../background/verbal-consent';
import { createWrapUpService, reportDrainFailure } from '../background/wrap-up-service';
import { THIS_BROWSER } from '../shared/audit';
import type { DynamicsDirectConfig } from '../shared/config';
import type { SignInView } from '../shared/protocol';
import { messaging } from '../shared/protocol';
import { detectorMatches, detectors } from './detect/registry';

export default defineBackground(() => {
  const config = createConfigStore(browser.storage);
  const self = { extensionId: browser.runtime.id, extensionOrigin: browser.runtime.getURL('/') };
  const db = openDatabase();
  const signIn = createSignIn({
    identity: browser.identity,
    session: browser.storage.session,
    fetch: (input, init) => fetch(input, init),
  });
  // Every gateway request carries the agent's OIDC token when sign-in is configured.
  const gatewayFetch = authorizedFetch(
    (input, init) => fetch(input, init),
    async () => (await config.get()).config,
    signIn,
  );
  const entraAuth = (dynamics: DynamicsDirectConfig) =>
    createEntraAuth({
      config: dynamics,
      identity: browser.identity,
      session: browser.storage.session,
      fetch: (input, init) => fetch(input, init),
    });
  const contextService = createContextService({
    db,
    config,
    fetchers: (current) => {
      const fetchers = [gatewayFetcher(current, gatewayFetch)];
      if (current.dynamicsDirect)
        fetchers.push(
          dynamicsDirectFetcher(current.dynamicsDirect, entraAuth(current.dynamicsDirect)),
        );
      return fetchers;
    },
  });
  const recentCalls = db.then((database) => createCallSessions({ db: database }));
  const liveActivity = createLiveActivity({
    sessions: recentCalls,
    config,
    fetch: gatewayFetch,
  });
  const settings = createSettingsService({
    storage: browser.storage,
    config,
    db,
    fetch: gatewayFetch,
  });
  const auditLog = createAuditLog({ db });
  /** Who the audit list names: the signed-in agent, or this browser without a sign-in. */
  const whoIsLookingUp = async (): Promise<string> => {
    const { oidc } = (await config.get()).config;
    if (!oidc) return THIS_BROWSER;
    return (await signIn.status(oidc)).user ?? THIS_BROWSER;
  };
  const service = createCallerService({
    ...self,
    db,
    config,
    contextService,
    recordLookup: async ({ identity, callId, reason }) =>
      auditLog.record({ who: await whoIsLookingUp(), identity, callId, reason }),
    broadcast: (session) => {
      // Rejects when no sidebar is open to hear it; the sidebar asks again when it opens.
      messaging.sendMessage('callChanged', session).catch(() => {});
    },
  });
  const ruleScripts = createRuleScripts({
    // chrome.* (not the polyfill): scripting and permissions return promises in MV3.
    apis: chrome as unknown as RuleScriptApis,
    config: () => config.get(),
    declaredMatches: detectorMatches,
    detectors,
  });
  const sidebarTabs = createSidebarTabs({
    session: browser.storage.session,
    notify: (tabId, shown) =>
      messaging.sendMessage('sidebarShown', { shown }, { tabId, frameId: 0 }),
  });
  const ownPage = (url: string | undefined) => (url ?? '').startsWith(browser.runtime.getURL('/'));
  const applyPlacement = async () => {
    const { config: current } = await config.get();
    // The side panel shows the same sidebar page; the toolbar button opens it.
    await chrome.sidePanel
      ?.setPanelBehavior({ openPanelOnActionClick: current.sidebarPlacement === 'sidePanel' })
      .catch(() => {});
  };
  const resync = () => {
    ruleScripts
      .sync()
      .catch((error: unknown) => console.error('Caller Context: rule scripts', error));
    void applyPlacement();
  };

  // Listeners first, synchronously, so the event that woke the worker is not missed.
  messaging.onMessage('reportCaller', ({ data, sender }) => service.reportCaller(data, sender));
  messaging.onMessage('getCurrentCall', ({ sender }) => service.getCurrentCall(sender));
  messaging.onMessage('getWaitingCalls', ({ sender }) => service.getWaitingCalls(sender));
  messaging.onMessage('wrapUpCall', ({ data, sender }) => service.wrapUpCall(data, sender));
  messaging.onMessage('sidebarPlacement', async ({ data, sender }) => {
    const placement = await service.sidebarPlacement(sender);
    const tabId = sender.tab?.id;
    if (!placement.mount || tabId === undefined) return placement;
    return { mount: true, ...(await sidebarTabs.register(tabId, data?.inFront === true)) };
  });
  messaging.onMessage('openSidePanel', ({ sender }) => {
    const tabId = sender.tab?.id;
    if (!isOwnContentScript(sender, self) || tabId === undefined)
      throw new Error('openSidePanel: not from a tab');
    if (!chrome.sidePanel) return { opened: false, error: 'This browser has no side panel.' };
    // Called before anything is awaited: Chrome opens the panel only within the click's gesture.
    // https://developer.chrome.com/docs/extensions/reference/api/sidePanel#method-open
    return chrome.sidePanel.open({ tabId }).then(
      () => ({ opened: true }),
      (error: unknown) => ({
        opened: false,
        error: error instanceof Error ? error.message : 'The side panel did not open.',
      }),
    );
  });
  messaging.onMessage('crmTabUsed', ({ sender }) => {
    if (!isOwnContentScript(sender, self)) throw new Error('crmTabUsed: not from a tab');
    return sidebarTabs.used(sender.tab.id);
  });
  // Switching tabs or windows needs no permission for the tab id; only CRM tabs count.
  browser.tabs.onActivated.addListener(({ tabId }) => void sidebarTabs.used(tabId));
  browser.windows?.onFocusChanged.addListener((windowId) => {
    if (windowId === browser.windows.WINDOW_ID_NONE) return;
    browser.tabs
      .query({ active: true, windowId })
      .then(([tab]) => (tab?.id === undefined ? undefined : sidebarTabs.used(tab.id)))
      .catch(() => {});
  });
  browser.tabs.onRemoved.addListener((tabId) => void sidebarTabs.removed(tabId));
  messaging.onMessage('retryLookup', ({ data, sender }) => service.retryLookup(data, sender));
  registerVerbalConsent({
    ...self,
    sessions: recentCalls,
    config,
    liveActivity,
    auditLog,
    who: whoIsLookingUp,
  });
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
  messaging.onMessage('signInDynamics', async ({ sender }) => {
    requireOwnPage(sender, self, 'signInDynamics');
    const { dynamicsDirect } = (await config.get()).config;
    if (!dynamicsDirect)
      return { ok: false, message: 'Dynamics 365 is not set up for direct access.' };
    try {
      await entraAuth(dynamicsDirect).signIn();
      // Contexts fetched before the sign-in lack Dynamics 365: fetch them afresh.
      await contextService.clear().catch(() => {});
      return { ok: true, message: 'Signed in to Dynamics 365.' };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : 'Sign-in failed.' };
    }
  });
  messaging.onMessage('signOut', async ({ sender }) => {
    requireOwnPage(sender, self, 'signOut');
    await signIn.signOut();
    // Customer data fetched under the agent's sign-in goes with it.
    await contextService.clear().catch(() => {});
    return signInView();
  });
  messaging.onMessage('getSidebarSettings', async ({ sender }) => {
    requireOwnPage(sender, self, 'getSidebarSettings');
    const { config: current } = await config.get();
    return { crmActions: current.crmActions, consentMasking: current.consentMasking };
  });
  messaging.onMessage('getAuditLog', async ({ sender }) => {
    requireOwnPage(sender, self, 'getAuditLog');
    return { entries: await auditLog.list() };
  });
  messaging.onMessage('detectionRules', async ({ sender }) => {
    if (sender.id !== browser.runtime.id || !sender.tab?.url) return { rules: [] };
    return ruleScripts.rulesFor(sender.tab.url);
  });
  messaging.onMessage('detectionStatus', async ({ data, sender }) => {
    if (!ownPage(sender.url)) throw new Error('detectionStatus: not from our pages');
    const status = await ruleScripts.status(typeof data?.url === 'string' ? data.url : '');
    const recent = await (await recentCalls).recent(5);
    return {
      ...status,
      seen: recent.map((s) => ({
        detector: s.detector,
        raw: s.rawNumber,
        state: s.state,
        at: s.updatedAt,
        ...(s.problem ? { problem: s.problem } : {}),
      })),
    };
  });
  messaging.onMessage('syncRuleScripts', async ({ sender }) => {
    if (!ownPage(sender.url)) throw new Error('syncRuleScripts: not from our pages');
    return { registered: await ruleScripts.sync() };
  });
  browser.permissions.onAdded.addListener(resync);
  browser.permissions.onRemoved.addListener(resync);
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'local' || area === 'managed') resync();
  });
  clearOnSettingsChange(browser.storage.onChanged, contextService, AGENT_SETTINGS_KEY);

  // After-call events: the outbox sends them whenever it wakes (an alarm, a timer, the network
  // coming back, this worker starting) and keeps nothing in memory between wake-ups.
  const drain = () => void outbox.drain().catch(reportDrainFailure);
  const wake = createOutboxWaker({ alarms: browser.alarms, drain });
  let statusQueued = false;
  const outbox = createOutbox({
    db,
    gateway: async () => (await config.get()).config,
    fetch: gatewayFetch,
    wake,
    changed: () => {
      // Many changes in a burst (a backlog draining) become one message to the sidebars.
      if (statusQueued) return;
      statusQueued = true;
      setTimeout(() => {
        statusQueued = false;
        outbox
          .status()
          .then((status) => messaging.sendMessage('outboxChanged', status))
          .catch(() => {});
      }, 250);
    },
  });
  const wrapUp = createWrapUpService({
    ...self,
    db,
    config,
    outbox,
    broadcast: (session) => {
      messaging.sendMessage('callChanged', session).catch(() => {});
    },
  });
  messaging.onMessage('getWrapUp', ({ data, sender }) => wrapUp.getWrapUp(data, sender));
  messaging.onMessage('saveWrapUpDraft', ({ data, sender }) =>
    wrapUp.saveWrapUpDraft(data, sender),
  );
  messaging.onMessage('logCall', ({ data, sender }) => wrapUp.logCall(data, sender));
  messaging.onMessage('getOutboxStatus', ({ sender }) => wrapUp.getOutboxStatus(sender));
  messaging.onMessage('retryFailed', ({ data, sender }) => wrapUp.retryFailed(data, sender));
  messaging.onMessage('exportFailed', ({ sender }) => wrapUp.exportFailed(sender));
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) drain();
  });
  globalThis.addEventListener('online', drain);

  void config.refreshPolicy().then(resync);
  void service.resume();
  drain();
});
