import { defineExtensionMessaging } from '@webext-core/messaging';
import type { AfterCallEvent, Disposition, OutboxStatus, WrapUpDraft } from './after-call';
import type { AuditEntry } from './audit';
import type { CallerSighting, CallSession } from './call';
import type {
  ConfigKey,
  ConfigOrigin,
  ConfigProblem,
  ConsentMasking,
  ExtensionConfig,
} from './config';
import type {
  ConversationResult,
  ConversationState,
  HandoffWrapUp,
  LiveCallsResult,
  MonitorResult,
} from './conversation';
import type { CrmActions } from './crm-actions';
import type { DetectionStatus, PageRules } from './detection-status';
import type { Problem } from './problem';

/**
 * Every message between the extension's contexts (docs/architecture.md, "Who talks to whom").
 * Handlers validate what they receive and check who sent it.
 */
export interface ProtocolMap {
  /** detector content script -> background: the caller it sees in its tab. */
  reportCaller(data: CallerSighting): { accepted: boolean; error?: string };
  /** sidebar -> background: the call to show now. */
  getCurrentCall(): CallSession | null;
  /** background -> extension pages: the current call changed. */
  callChanged(data: CallSession | null): void;
  /**
   * CRM content script -> background: should this tab mount the sidebar (`mount`), and show it
   * now (`shown`: it is the CRM tab the agent used last)? `inFront`: the agent is looking at it.
   */
  /**
   * `frameSecret`: the secret of the frame the content script will mount, so the background
   * knows that frame is ours (see `sidebarFrameTrusted`).
   */
  sidebarPlacement(data?: { inFront?: boolean; frameSecret?: string }): {
    mount: boolean;
    shown?: boolean;
    /** The agent prefers the side panel: offer a button that opens it (no iframe here). */
    sidePanel?: boolean;
  };
  /**
   * sidebar page -> background: may this page show the caller? Yes for the side panel and our
   * own tabs; a page framed in a tab only with the secret our content script registered there
   * (a CRM page can frame a copy of the sidebar page, which then shows nothing).
   */
  sidebarFrameTrusted(data: { secret?: string }): { trusted: boolean };
  /**
   * sidebar -> background: the agent picked which of several customers sharing the number is
   * calling; the call's live activity follows that customer from now on (then `callChanged`).
   */
  pickMatch(data: { callId: string; profileId: string }): { ok: boolean; error?: string };
  /** sidebar -> background: the wrap-up of a call: its saved draft and the dispositions to offer. */
  getWrapUp(data: { callId: string }): { draft: WrapUpDraft | null; dispositions: Disposition[] };
  /** sidebar -> background: keeps an unfinished wrap-up (closing the tab loses nothing). */
  saveWrapUpDraft(data: WrapUpDraft): { saved: boolean; error?: string };
  /**
   * sidebar (or an admin script on our pages) -> background: "Log call". Answers only once the
   * event is durably in the outbox; the same event id sent again is one event.
   */
  logCall(
    data: AfterCallEvent,
  ): { saved: true; duplicate: boolean } | { saved: false; error: string };
  /** sidebar -> background: what is pending, sent and failed. */
  getOutboxStatus(): OutboxStatus;
  /** background -> extension pages: the outbox changed. */
  outboxChanged(data: OutboxStatus): void;
  /** sidebar -> background: sends refused events again (all, or the ones named). */
  retryFailed(data: { ids?: string[] }): { retried: number };
  /** sidebar -> background: the refused events in full, to save as a file. */
  exportFailed(): { event: AfterCallEvent; error: string; failedAt: string }[];
  /** sidebar -> background: fetch the live call's newest web activity (then `callChanged`). */
  refreshActivity(data: { callId: string }): { ok: boolean; error?: string; problem?: Problem };
  /** detector content script -> background: the admin rules that apply to this tab's page. */
  detectionRules(): PageRules;
  /** extension pages -> background: calls ringing while the primary call goes on. */
  getWaitingCalls(): CallSession[];
  /** extension pages -> background: the agent finished the call's after-call work. */
  wrapUpCall(data: { id: string }): { wrappedUp: boolean };
  /** options page -> background: which detectors and rules read a page, and rule problems. */
  detectionStatus(data: { url: string }): DetectionStatus;
  /** options page -> background: origins were granted; register the admin rules' script. */
  syncRuleScripts(): { registered: string[] };

  /** CRM content script -> background: the agent used this tab (focus, click, key, switch). */
  crmTabUsed(): { shown: boolean };
  /** CRM content script -> background, from the agent's click: open the side panel in this tab. */
  openSidePanel(): { opened: boolean; error?: string };
  /** background -> CRM content script: show the sidebar here, or the "in another tab" button. */
  sidebarShown(data: { shown: boolean }): void;

  /** options page -> background: the effective settings and where each comes from. */
  getSettings(): SettingsView;
  /** options page -> background: the agent's own values (`null` resets a key). */
  saveSettings(data: Partial<Record<ConfigKey, unknown>>): SaveSettingsResult;
  /** options page -> background: look up a test identity through the gateway. */
  testConnection(data: { identity: string }): ConnectionReport;
  /** options page -> background: delete the customer data this browser holds. */
  clearLocalData(): { cleared: string[] };
  /** options page -> background: whether the agent is signed in to the gateway. */
  getSignInStatus(): SignInView;
  /** options page -> background: sign in with the organisation's provider (opens its page). */
  signIn(): SignInView;
  /** options page -> background: forget the agent's tokens. */
  signOut(): SignInView;
  /** options page -> background: the agent's own sign-in to Dynamics 365 (opens Microsoft's page). */
  signInDynamics(): { ok: boolean; message: string };
  /** sidebar -> background: the settings that shape what the sidebar offers. */
  getSidebarSettings(): SidebarSettings;
  /** sidebar -> background: look the call's caller up again after a source failed. */
  retryLookup(data: { callId: string }): { ok: boolean; error?: string };
  /** options page -> background: the local audit list of lookups, newest first. */
  getAuditLog(): { entries: AuditEntry[] };
  /**
   * sidebar -> background: an anonymous caller's spoken answer (config `requireVerbalConsent`).
   * Kept with the call and in the audit list; when given, their web activity is read (then
   * `callChanged`). Answers once that is done.
   */
  recordVerbalConsent(data: { callId: string; given: boolean }): { ok: boolean; error?: string };

  // ----- conversations shared by the agents on a call (README, "Conversations") -------------
  /**
   * sidebar (or Live calls) -> background, on every call change and every 20 s: join the call's
   * conversation once it is looked up (then heartbeats, and leave when it ends), keep its live
   * stream going; answers what the worker knows of it.
   */
  followConversation(data: { callId: string }): ConversationState | null;
  /** background -> extension pages: a call's conversation changed (a note, a handover, a join). */
  conversationChanged(data: ConversationState): void;
  /** sidebar -> background: a side-channel note for the others on the call. */
  addConversationNote(data: { callId: string; text: string }): ConversationResult;
  /** sidebar -> background: the agent picked one of several customers; the others see it. */
  shareConversationPick(data: { callId: string; profileId: string }): ConversationResult;
  /** sidebar -> background: "Hand over", with a note and the wrap-up so far. */
  handOverCall(data: { callId: string; note: string; wrapUp?: HandoffWrapUp }): ConversationResult;
  /** Live calls page -> background: the team with their presence, and the calls going on. */
  getLiveCalls(): LiveCallsResult;
  /** Live calls page -> background: listen in on a call; its sidebar as the agent sees it. */
  monitorCall(data: { conversationId: string }): MonitorResult;
}

/** What the sidebar needs of the config (no secrets: the sidebar page never holds tokens). */
export interface SidebarSettings {
  crmActions: CrmActions;
  consentMasking: ConsentMasking;
}

export interface SignInView {
  /** False when the config has no OIDC provider (a static token, or none). */
  required: boolean;
  signedIn: boolean;
  user?: string;
  expiresAt?: string;
  /** Why the last sign-in failed, in words for the agent. */
  error?: string;
}

export interface SettingsView {
  config: ExtensionConfig;
  origins: Record<ConfigKey, ConfigOrigin>;
  problems: ConfigProblem[];
}

export interface SaveSettingsResult {
  saved: boolean;
  problems: { key: string; message: string }[];
}

export interface ConnectionReport {
  ok: boolean;
  message: string;
  sources: { source: string; ok: boolean; message: string }[];
  ms: number;
}

export const messaging = defineExtensionMessaging<ProtocolMap>();
