import { defineExtensionMessaging } from '@webext-core/messaging';
import type { CallerSighting, CallSession } from './call';
import type { DetectionStatus, PageRules } from './detection-status';

/**
 * Every message between the extension's contexts (DESIGN.md, "Who talks to whom").
 * Handlers validate what they receive and check who sent it.
 */
export interface ProtocolMap {
  /** detector content script -> background: the caller it sees in its tab. */
  reportCaller(data: CallerSighting): { accepted: boolean; error?: string };
  /** sidebar -> background: the call to show now. */
  getCurrentCall(): CallSession | null;
  /** background -> extension pages: the current call changed. */
  callChanged(data: CallSession | null): void;
  /** CRM content script -> background: should this tab show the sidebar? */
  sidebarPlacement(): { mount: boolean };
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
}

export const messaging = defineExtensionMessaging<ProtocolMap>();
