import type { WxtBrowser } from 'wxt/browser';
import { THIS_BROWSER } from '../shared/audit';
import { withholdUnconsented } from '../shared/consent';
import { wrapUpSoFar } from '../shared/conversation';
import { formatIdentity } from '../shared/identity';
import { messaging } from '../shared/protocol';
import { createActivityRefresh } from './activity-refresh';
import { createAuditLog } from './audit-log';
import { authorizedFetch } from './authorized-fetch';
import { createCallState } from './call-state';
import { createCallerService } from './caller-service';
import { createConfigStore } from './config-store';
import { createContextService, gatewayFetcher } from './context-service';
import { conversationClient } from './conversation-client';
import { createConversationService } from './conversations';
import { openDatabase } from './db';
import { dynamicsDirectFetcher } from './dynamics-direct';
import { createLiveActivity } from './live-activity';
import { createLiveStream } from './live-stream';
import { createOutbox } from './outbox';
import { createOutboxWaker } from './outbox-waker';
import { createPageSettings } from './page-settings';
import { createPresence, reportPresenceFailure } from './presence';
import { createRetention, createRetentionRunner } from './retention';
import { createRuleScripts, type RuleScriptApis, type RuleScriptsDeps } from './rule-scripts';
import { createSettingsService } from './settings-service';
import { createSidebarFrames } from './sidebar-frames';
import { createSidebarTabs } from './sidebar-tabs';
import { createSignIn } from './sign-in';
import { createSignInActions } from './sign-in-actions';
import { createVerbalConsent } from './verbal-consent';
import { createWrapUpService, reportDrainFailure } from './wrap-up-service';

/** What the worker sends and answers: the one typed protocol (tests hand in a recording fake). */
export type BackgroundMessaging = Pick<typeof messaging, 'onMessage' | 'sendMessage'>;

/** A browser event, as far as a registration uses it (tests hand in WXT's `fakeBrowser`). */
export interface BrowserEvent<Listener> {
  addListener(listener: Listener): void;
}

export interface BackgroundPlatform {
  /** WXT's `browser` (the promise-based polyfill in the worker). */
  browser: WxtBrowser;
  /** `chrome` itself, for APIs that return promises in MV3 but not through the polyfill. */
  chrome: typeof chrome;
  /** The detector content script's built-in detectors and the patterns the manifest declares. */
  detection: Pick<RuleScriptsDeps, 'detectors' | 'declaredMatches' | 'sidebarDeclaredMatches'>;
}

/**
 * Builds the worker's services. Nothing here adds a browser listener or waits for anything: the
 * registrations (background/register/) do that, synchronously, right after.
 */
export function createBackgroundServices({ browser, chrome, detection }: BackgroundPlatform) {
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
  const contextService = createContextService({
    db,
    config,
    fetchers: (current) => {
      const fetchers = [gatewayFetcher(current, gatewayFetch)];
      if (current.dynamicsDirect)
        fetchers.push(dynamicsDirectFetcher(current.dynamicsDirect, signIn));
      return fetchers;
    },
  });

  // The one owner of call state: every change of a call is stored and published there
  // (docs/architecture.md, "What happens when a call changes").
  const calls = createCallState({
    db,
    // Rejects when no sidebar is open to hear it; the sidebar asks again when it opens.
    broadcast: (session) => void messaging.sendMessage('callChanged', session).catch(() => {}),
    follow: (callId) => liveStream.follow(callId),
    afterChange: (primary) => {
      // The agent's state for the IVR's routing (README, "IVR"), from the call just published.
      presence.sync('change', primary).catch(reportPresenceFailure);
      // A call that ended or was wrapped up starts its retention clock.
      retention.soon();
    },
  });
  const presence = createPresence({
    gateway: async () => (await config.get()).config,
    fetch: gatewayFetch,
    currentCall: () => calls.current(),
    session: browser.storage.session,
    alarms: browser.alarms,
    openWindows: () => browser.windows.getAll(),
  });
  // A finished call's customer data goes after `callDataRetentionHours`; the sidebars then show
  // what remains current.
  const retention = createRetentionRunner({
    retention: createRetention({
      db,
      retentionHours: async () => (await config.get()).config.callDataRetentionHours,
    }),
    alarms: browser.alarms,
    deleted: () => void calls.deleted().catch(() => {}),
  });
  const liveActivity = createLiveActivity({
    // Activity is merged into the stored lookup in order; its callers publish the result.
    sessions: calls.activityStore(),
    config,
    fetch: gatewayFetch,
  });
  const liveStream = createLiveStream({
    liveActivity,
    config,
    fetch: gatewayFetch,
    broadcast: (session) => calls.updated(session),
  });
  const activityRefresh = createActivityRefresh({ liveActivity, liveStream, calls });
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
  const callerService = createCallerService({
    db,
    config,
    calls,
    contextService,
    recordLookup: async ({ identity, callId, reason }) =>
      auditLog.record({ who: await whoIsLookingUp(), identity, callId, reason }),
  });
  const verbalConsent = createVerbalConsent({
    calls,
    config,
    liveActivity,
    auditLog,
    who: whoIsLookingUp,
  });
  const signInActions = createSignInActions({ config, signIn, contextService });
  const ruleScripts = createRuleScripts({
    // chrome.* (not the polyfill): scripting and permissions return promises in MV3.
    apis: chrome as unknown as RuleScriptApis,
    config: () => config.get(),
    ...detection,
  });
  const pageSettings = createPageSettings({
    local: browser.storage.local,
    config: () => config.get(),
  });
  const sidebarFrames = createSidebarFrames(browser.storage.session);
  const sidebarTabs = createSidebarTabs({
    session: browser.storage.session,
    notify: (tabId, shown) =>
      messaging.sendMessage('sidebarShown', { shown }, { tabId, frameId: 0 }),
  });

  // After-call events: the outbox sends them whenever it wakes (an alarm, a timer, the network
  // coming back, this worker starting) and keeps nothing in memory between wake-ups.
  const drainOutbox = () => void outbox.drain().catch(reportDrainFailure);
  const wake = createOutboxWaker({ alarms: browser.alarms, drain: drainOutbox });
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
  const wrapUp = createWrapUpService({ db, config, outbox, calls });

  // Conversations shared by the agents on a call (README, "Conversations").
  const conversations = createConversationService({
    client: conversationClient(async () => (await config.get()).config, gatewayFetch),
    sessions: Promise.resolve({ get: calls.get, pickMatch: calls.pickMatch }),
    storage: browser.storage.session,
    broadcast: (state) => void messaging.sendMessage('conversationChanged', state).catch(() => {}),
    wrapUpSoFar: async (callId) => {
      const draft = await (await db).get('wrapUpDrafts', callId);
      return wrapUpSoFar(draft, (await config.get()).config.dispositions);
    },
    lookUp: async (identity) => {
      // A supervisor's look at a caller is a lookup like any other: in the audit list.
      void whoIsLookingUp()
        .then((who) => auditLog.record({ who, identity: formatIdentity(identity), reason: 'call' }))
        .catch(() => {});
      return withholdUnconsented(await contextService.lookup(identity));
    },
  });

  return {
    browser,
    /** `chrome.sidePanel`, where the browser has one (Chrome and Edge; not Firefox). */
    sidePanel: chrome.sidePanel as typeof chrome.sidePanel | undefined,
    messaging: messaging as BackgroundMessaging,
    /** Content scripts' ports (shared/tab-port.ts), answered through the message table. */
    ports: chrome.runtime.onConnect,
    self,
    config,
    signIn,
    signInActions,
    contextService,
    calls,
    liveActivity,
    liveStream,
    activityRefresh,
    settings,
    auditLog,
    callerService,
    verbalConsent,
    conversations,
    presence,
    ruleScripts,
    pageSettings,
    sidebarTabs,
    sidebarFrames,
    whoIsLookingUp,
    outbox,
    drainOutbox,
    wrapUp,
    retention,
  };
}

export type BackgroundServices = ReturnType<typeof createBackgroundServices>;

/** One concern's message handlers and listeners, registered synchronously at the worker's start. */
export type Registration = (background: BackgroundServices) => void;
