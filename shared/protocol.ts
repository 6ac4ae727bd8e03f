import { defineExtensionMessaging } from '@webext-core/messaging';
import type { CallerSighting, CallSession } from './call';

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
}

export const messaging = defineExtensionMessaging<ProtocolMap>();
