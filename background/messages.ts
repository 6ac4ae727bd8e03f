import {
  type AfterCallEvent,
  type OutboxStatus,
  parseAfterCallEvent,
  parseWrapUpDraft,
  type WrapUpDraft,
} from '../shared/after-call';
import type { AuditEntry } from '../shared/audit';
import { type CallerSighting, type CallSession, parseSighting } from '../shared/call';
import { type HandoffWrapUp, handoffWrapUpOf, MAX_NOTE_LENGTH } from '../shared/conversation';
import type { PageRules } from '../shared/detection-status';
import { isRecord } from '../shared/json';
import type { ProtocolMap, SidebarSettings } from '../shared/protocol';
import type { ActivityRefresh } from './activity-refresh';
import type { CallState } from './call-state';
import type { CallerService } from './caller-service';
import type { ConfigStore } from './config-store';
import type { ConversationService } from './conversations';
import type { RuleScripts } from './rule-scripts';
import {
  type ExtensionIdentity,
  isOwnContentScript,
  isOwnPage,
  RefusedMessage,
  type Sender,
} from './senders';
import type { SettingsService } from './settings-service';
import type { SidebarFrames } from './sidebar-frames';
import type { SidebarTabs } from './sidebar-tabs';
import type { SignInActions } from './sign-in-actions';
import { parseVerbalConsent, type VerbalConsent, type VerbalConsentInput } from './verbal-consent';
import type { WrapUpService } from './wrap-up-service';

/**
 * Every message the worker answers, once each (docs/architecture.md, "Who talks to whom"): who
 * may send it, how its payload is read into a typed value, and what answers it. The one sender
 * check and the parsers run before any handler: a handler receives only what its parser made.
 * The messages themselves (names, payloads, answers) are the `ProtocolMap` in shared/protocol.ts.
 */

/**
 * Who may send a message.
 * - `page`: one of our extension pages (sidebar, side panel, options, Live calls), also when the
 *   sidebar page is framed in a CRM tab; never a web page or another extension.
 * - `tab`: one of our content scripts, in a tab (the page it runs beside is not trusted; its
 *   tab is).
 */
export type SenderRule = 'page' | 'tab';

/** A sender that passed its message's rule. */
export type Verified<Rule extends SenderRule> = Rule extends 'tab'
  ? Sender & { tab: { id: number } }
  : Sender;

type Answer<K extends keyof ProtocolMap> = Awaited<ReturnType<ProtocolMap[K]>>;

/** What a parser gives back for a payload it cannot take: the answer the sender gets instead. */
export class Invalid<A> {
  constructor(readonly answer: A) {}
}

/** What the handlers work with: the worker's services (background/services.ts). */
export interface MessageServices {
  self: ExtensionIdentity;
  config: Pick<ConfigStore, 'get'>;
  calls: Pick<CallState, 'current' | 'waiting' | 'recent' | 'pickMatch'>;
  callerService: Pick<
    CallerService,
    'reportCaller' | 'wrapUpCall' | 'retryLookup' | 'sidebarPlacement'
  >;
  activityRefresh: Pick<ActivityRefresh, 'refresh'>;
  wrapUp: Pick<
    WrapUpService,
    'getWrapUp' | 'saveWrapUpDraft' | 'logCall' | 'getOutboxStatus' | 'retryFailed' | 'exportFailed'
  >;
  verbalConsent: Pick<VerbalConsent, 'record'>;
  settings: Pick<SettingsService, 'view' | 'save' | 'testConnection' | 'clearLocalData'>;
  signInActions: SignInActions;
  auditLog: { list(): Promise<AuditEntry[]> };
  ruleScripts: Pick<RuleScripts, 'rulesFor' | 'status' | 'sync'>;
  sidebarTabs: Pick<SidebarTabs, 'register' | 'used'>;
  sidebarFrames: Pick<SidebarFrames, 'isSecret' | 'register' | 'trusted'>;
  /** `chrome.sidePanel`; undefined where the browser has none. */
  sidePanel: { open(options: { tabId: number }): Promise<void> } | undefined;
  conversations: Pick<
    ConversationService,
    'follow' | 'addNote' | 'sharePick' | 'handOver' | 'liveCalls' | 'monitor'
  >;
}

export interface MessageSpec<K extends keyof ProtocolMap, Rule extends SenderRule, Input> {
  from: Rule;
  /**
   * What a sender the rule refuses gets. By default the message is refused (the sender's promise
   * rejects with `RefusedMessage`).
   */
  refused?: () => Answer<K>;
  /** Reads the payload; may also refuse it by throwing `RefusedMessage`. */
  parse: (data: unknown) => Input | Invalid<Answer<K>>;
  handle: (
    input: Input,
    services: MessageServices,
    sender: Verified<Rule>,
  ) => Answer<K> | Promise<Answer<K>>;
}

// Each entry is typed by its own message: the compiler checks parser and handler against the
// ProtocolMap (`spec` only infers the Input type that links them).
function spec<K extends keyof ProtocolMap, Rule extends SenderRule, Input>(
  entry: MessageSpec<K, Rule, Input>,
): MessageSpec<K, Rule, Input> {
  return entry;
}

const nothing = (): undefined => undefined;

/** A call id as our pages send it (the sidebar's call, a platform's call id). */
const CALL_ID = /^[\w:.-]{1,128}$/;
const CONVERSATION_ID = /^[A-Za-z0-9-]{1,64}$/;
const MAX_IDS = 1000;

function field(data: unknown, key: string): unknown {
  return isRecord(data) ? data[key] : undefined;
}

/** A session id as the worker made it (a UUID; 64 characters at most). */
function sessionId(data: unknown, key: string): string | undefined {
  const value = field(data, key);
  return typeof value === 'string' && value.length > 0 && value.length <= 64 ? value : undefined;
}

function conversationCallId(data: unknown): string | undefined {
  const value = field(data, 'callId');
  return typeof value === 'string' && CALL_ID.test(value) ? value : undefined;
}

const callIdRequired = { ok: false as const, error: 'callId is required' };

export const MESSAGES = {
  // ----- calls ----------------------------------------------------------------------------
  reportCaller: spec<'reportCaller', 'tab', CallerSighting>({
    from: 'tab',
    parse: (data) => {
      const sighting = parseSighting(data);
      return sighting instanceof Error
        ? new Invalid({ accepted: false, error: sighting.message })
        : sighting;
    },
    handle: (sighting, { callerService }, sender) =>
      callerService.reportCaller(sighting, sender.tab.id),
  }),
  getCurrentCall: spec<'getCurrentCall', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { calls }) => calls.current(),
  }),
  getWaitingCalls: spec<'getWaitingCalls', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { calls }) => calls.waiting(),
  }),
  wrapUpCall: spec<'wrapUpCall', 'page', string>({
    from: 'page',
    parse: (data) => sessionId(data, 'id') ?? new Invalid({ wrappedUp: false }),
    handle: (id, { callerService }) => callerService.wrapUpCall(id),
  }),
  retryLookup: spec<'retryLookup', 'page', string>({
    from: 'page',
    parse: (data) => sessionId(data, 'callId') ?? new Invalid(callIdRequired),
    handle: (callId, { callerService }) => callerService.retryLookup(callId),
  }),
  refreshActivity: spec<'refreshActivity', 'page', string>({
    from: 'page',
    parse: (data) => {
      const callId = field(data, 'callId');
      return typeof callId === 'string' ? callId : new Invalid(callIdRequired);
    },
    handle: (callId, { activityRefresh }) => activityRefresh.refresh(callId),
  }),
  pickMatch: spec<'pickMatch', 'page', { callId: string; profileId: string }>({
    from: 'page',
    parse: (data) => {
      const callId = field(data, 'callId');
      const profileId = field(data, 'profileId');
      if (typeof callId !== 'string' || typeof profileId !== 'string' || profileId.length > 512)
        return new Invalid({ ok: false, error: 'callId and profileId are required' });
      return { callId, profileId };
    },
    handle: async ({ callId, profileId }, { calls }) => {
      const picked = await calls.pickMatch(callId, profileId);
      if (!picked) return { ok: false, error: 'No such customer among the call’s matches.' };
      return { ok: true };
    },
  }),
  recordVerbalConsent: spec<'recordVerbalConsent', 'page', VerbalConsentInput>({
    from: 'page',
    parse: (data) => {
      const input = parseVerbalConsent(data);
      return input instanceof Error ? new Invalid({ ok: false, error: input.message }) : input;
    },
    handle: (input, { verbalConsent }) => verbalConsent.record(input),
  }),

  // ----- the sidebar and where it shows -----------------------------------------------------
  sidebarPlacement: spec<'sidebarPlacement', 'tab', { inFront: boolean; frameSecret?: unknown }>({
    from: 'tab',
    parse: (data) => ({
      inFront: field(data, 'inFront') === true,
      frameSecret: field(data, 'frameSecret'),
    }),
    handle: async ({ inFront, frameSecret }, services, sender) => {
      const { callerService, sidebarFrames, sidebarTabs } = services;
      const placement = await callerService.sidebarPlacement(sender.tab.url);
      if (!placement.mount) return placement;
      const tabId = sender.tab.id;
      // Known before the frame loads: the content script mounts it only after this answer.
      if (!placement.sidePanel && sidebarFrames.isSecret(frameSecret))
        await sidebarFrames.register(tabId, frameSecret);
      return { mount: true, ...(await sidebarTabs.register(tabId, inFront)) };
    },
  }),
  sidebarFrameTrusted: spec<'sidebarFrameTrusted', 'page', unknown>({
    from: 'page',
    parse: (data) => field(data, 'secret'),
    handle: async (secret, { sidebarFrames }, sender) => ({
      trusted: await sidebarFrames.trusted(sender, secret),
    }),
  }),
  crmTabUsed: spec<'crmTabUsed', 'tab', undefined>({
    from: 'tab',
    parse: nothing,
    handle: (_, { sidebarTabs }, sender) => sidebarTabs.used(sender.tab.id),
  }),
  openSidePanel: spec<'openSidePanel', 'tab', undefined>({
    from: 'tab',
    parse: nothing,
    handle: (_, { sidePanel }, sender) => {
      if (!sidePanel) return { opened: false, error: 'This browser has no side panel.' };
      // Called before anything is awaited (the sender check and parser are synchronous): Chrome
      // opens the panel only within the click's gesture.
      // https://developer.chrome.com/docs/extensions/reference/api/sidePanel#method-open
      return sidePanel.open({ tabId: sender.tab.id }).then(
        () => ({ opened: true }),
        (error: unknown) => ({
          opened: false,
          error: error instanceof Error ? error.message : 'The side panel did not open.',
        }),
      );
    },
  }),
  getSidebarSettings: spec<'getSidebarSettings', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: async (_, { config }): Promise<SidebarSettings> => {
      const { config: current } = await config.get();
      return { crmActions: current.crmActions, consentMasking: current.consentMasking };
    },
  }),

  // ----- after the call ---------------------------------------------------------------------
  getWrapUp: spec<'getWrapUp', 'page', string | null>({
    from: 'page',
    // No call id still answers the dispositions to offer.
    parse: (data) => {
      const callId = field(data, 'callId');
      return typeof callId === 'string' && callId.length <= 128 ? callId : null;
    },
    handle: (callId, { wrapUp }) => wrapUp.getWrapUp(callId),
  }),
  saveWrapUpDraft: spec<'saveWrapUpDraft', 'page', WrapUpDraft>({
    from: 'page',
    parse: (data) => {
      const draft = parseWrapUpDraft(data);
      return draft instanceof Error ? new Invalid({ saved: false, error: draft.message }) : draft;
    },
    handle: (draft, { wrapUp }) => wrapUp.saveWrapUpDraft(draft),
  }),
  logCall: spec<'logCall', 'page', AfterCallEvent>({
    from: 'page',
    parse: (data) => {
      const event = parseAfterCallEvent(data);
      return event instanceof Error
        ? new Invalid({ saved: false as const, error: event.message })
        : event;
    },
    handle: (event, { wrapUp }) => wrapUp.logCall(event),
  }),
  getOutboxStatus: spec<'getOutboxStatus', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { wrapUp }): Promise<OutboxStatus> => wrapUp.getOutboxStatus(),
  }),
  retryFailed: spec<'retryFailed', 'page', string[] | undefined>({
    from: 'page',
    parse: (data) => {
      const ids = field(data, 'ids');
      if (ids === undefined) return undefined;
      if (Array.isArray(ids) && ids.length <= MAX_IDS && ids.every((id) => typeof id === 'string'))
        return ids as string[];
      throw new RefusedMessage('retryFailed: ids must be a list of event ids');
    },
    handle: (ids, { wrapUp }) => wrapUp.retryFailed(ids),
  }),
  exportFailed: spec<'exportFailed', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { wrapUp }) => wrapUp.exportFailed(),
  }),

  // ----- detection --------------------------------------------------------------------------
  detectionRules: spec<'detectionRules', 'tab', undefined>({
    from: 'tab',
    // A page that is not ours to read gets no rules, not an error.
    refused: (): PageRules => ({ rules: [] }),
    parse: nothing,
    handle: (_, { ruleScripts }, sender) =>
      sender.tab.url ? ruleScripts.rulesFor(sender.tab.url) : { rules: [] },
  }),
  detectionStatus: spec<'detectionStatus', 'page', string>({
    from: 'page',
    parse: (data) => {
      const url = field(data, 'url');
      return typeof url === 'string' ? url : '';
    },
    handle: async (url, { ruleScripts, calls }) => {
      const status = await ruleScripts.status(url);
      const recent = await calls.recent(5);
      return {
        ...status,
        seen: recent.map((s: CallSession) => ({
          detector: s.detector,
          raw: s.rawNumber,
          state: s.state,
          at: s.updatedAt,
          ...(s.problem ? { problem: s.problem } : {}),
        })),
      };
    },
  }),
  syncRuleScripts: spec<'syncRuleScripts', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: async (_, { ruleScripts }) => ({ registered: await ruleScripts.sync() }),
  }),

  // ----- the options page -------------------------------------------------------------------
  getSettings: spec<'getSettings', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { settings }) => settings.view(),
  }),
  saveSettings: spec<'saveSettings', 'page', Record<string, unknown>>({
    from: 'page',
    parse: (data) =>
      isRecord(data)
        ? data
        : new Invalid({
            saved: false,
            problems: [{ key: '*', message: 'settings must be an object' }],
          }),
    handle: (patch, { settings }) => settings.save(patch),
  }),
  testConnection: spec<'testConnection', 'page', string>({
    from: 'page',
    parse: (data) => {
      const identity = field(data, 'identity');
      return typeof identity === 'string' ? identity.trim() : '';
    },
    handle: (identity, { settings }) => settings.testConnection(identity),
  }),
  clearLocalData: spec<'clearLocalData', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { settings }) => settings.clearLocalData(),
  }),
  getAuditLog: spec<'getAuditLog', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: async (_, { auditLog }) => ({ entries: await auditLog.list() }),
  }),
  getSignInStatus: spec<'getSignInStatus', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { signInActions }) => signInActions.status(),
  }),
  signIn: spec<'signIn', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { signInActions }) => signInActions.signIn(),
  }),
  signOut: spec<'signOut', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { signInActions }) => signInActions.signOut(),
  }),
  signInDynamics: spec<'signInDynamics', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { signInActions }) => signInActions.signInDynamics(),
  }),

  // ----- conversations shared by the agents on a call (README, "Conversations") ------------
  // Only our own pages: the data is colleagues' notes and customers' names.
  followConversation: spec<'followConversation', 'page', string>({
    from: 'page',
    parse: (data) => conversationCallId(data) ?? new Invalid(null),
    handle: async (callId, { conversations }) => {
      try {
        return await conversations.follow(callId);
      } catch (error) {
        // Sharing is best effort: the sidebar shows the caller either way, and asks again.
        console.debug('conversation not followed:', error instanceof Error ? error.message : error);
        return null;
      }
    },
  }),
  addConversationNote: spec<'addConversationNote', 'page', { callId: string; text: string }>({
    from: 'page',
    parse: (data) => {
      const text = field(data, 'text');
      const trimmed = typeof text === 'string' ? text.trim() : '';
      const callId = conversationCallId(data);
      if (!callId) return new Invalid(callIdRequired);
      if (trimmed === '' || trimmed.length > MAX_NOTE_LENGTH)
        return new Invalid({ ok: false, error: `a note is 1 to ${MAX_NOTE_LENGTH} characters` });
      return { callId, text: trimmed };
    },
    handle: ({ callId, text }, { conversations }) => conversations.addNote(callId, text),
  }),
  shareConversationPick: spec<
    'shareConversationPick',
    'page',
    { callId: string; profileId: string }
  >({
    from: 'page',
    parse: (data) => {
      const callId = conversationCallId(data);
      if (!callId) return new Invalid(callIdRequired);
      const profileId = field(data, 'profileId');
      if (typeof profileId !== 'string' || profileId.length > 512)
        return new Invalid({ ok: false, error: 'profileId is required' });
      return { callId, profileId };
    },
    handle: ({ callId, profileId }, { conversations }) =>
      conversations.sharePick(callId, profileId),
  }),
  handOverCall: spec<
    'handOverCall',
    'page',
    { callId: string; note: string; wrapUp: HandoffWrapUp | undefined }
  >({
    from: 'page',
    parse: (data) => {
      const callId = conversationCallId(data);
      if (!callId) return new Invalid(callIdRequired);
      const note = field(data, 'note');
      const trimmed = typeof note === 'string' ? note.trim() : '';
      if (trimmed.length > MAX_NOTE_LENGTH)
        return new Invalid({
          ok: false,
          error: `a handoff note is at most ${MAX_NOTE_LENGTH} characters`,
        });
      const sent = field(data, 'wrapUp');
      const wrapUp = sent === undefined ? undefined : handoffWrapUpOf(sent);
      if (sent !== undefined && !wrapUp)
        return new Invalid({ ok: false, error: 'wrapUp is not one' });
      return { callId, note: trimmed, wrapUp };
    },
    handle: ({ callId, note, wrapUp }, { conversations }) =>
      conversations.handOver(callId, note, wrapUp),
  }),
  getLiveCalls: spec<'getLiveCalls', 'page', undefined>({
    from: 'page',
    parse: nothing,
    handle: (_, { conversations }) => conversations.liveCalls(),
  }),
  monitorCall: spec<'monitorCall', 'page', string>({
    from: 'page',
    parse: (data) => {
      const id = field(data, 'conversationId');
      return typeof id === 'string' && CONVERSATION_ID.test(id)
        ? id
        : new Invalid({ ok: false as const, error: 'conversationId is required' });
    },
    handle: (conversationId, { conversations }) => conversations.monitor(conversationId),
  }),
};

/** The messages the worker answers; the others go from the worker to pages and tabs. */
export type AnsweredMessage = keyof typeof MESSAGES;

/** The messages the worker sends and never answers. */
export type SentByTheWorker =
  | 'callChanged'
  | 'outboxChanged'
  | 'sidebarShown'
  | 'conversationChanged';

// Every message of the protocol is either answered here or sent by the worker: a new message
// without an entry does not compile.
MESSAGES satisfies Record<Exclude<keyof ProtocolMap, SentByTheWorker>, unknown>;

// Every entry answers the message it is filed under, with that message's types.
MESSAGES satisfies {
  // biome-ignore lint/suspicious/noExplicitAny: the parsed input differs per message; `spec` ties it to its handler.
  [K in AnsweredMessage]: MessageSpec<K, SenderRule, any>;
};

/** The one sender check: does `sender` pass `rule`? */
export function senderPasses(rule: SenderRule, sender: Sender, self: ExtensionIdentity): boolean {
  return rule === 'tab' ? isOwnContentScript(sender, self) : isOwnPage(sender, self);
}

const REFUSAL: Record<SenderRule, string> = { page: 'not from our pages', tab: 'not from a tab' };

/**
 * Answers one message: checks its sender, parses its payload and calls its handler. Synchronous up
 * to the handler, so a handler that needs the user's gesture (openSidePanel) still has it.
 */
export function answer<K extends AnsweredMessage>(
  type: K,
  data: unknown,
  sender: Sender,
  services: MessageServices,
): unknown {
  // Each entry's types were checked above; here one entry is called with what it declared.
  const entry = MESSAGES[type] as unknown as MessageSpec<K, SenderRule, unknown>;
  if (!senderPasses(entry.from, sender, services.self)) {
    if (entry.refused) return entry.refused();
    throw new RefusedMessage(`${type}: ${REFUSAL[entry.from]}`);
  }
  const input = entry.parse(data);
  if (input instanceof Invalid) return input.answer;
  return entry.handle(input, services, sender as Verified<SenderRule>);
}
