import { CcActivityList } from './activity-list.component';
import { CcCallerCard } from './caller-card.component';
import { CcConversation } from './conversation.component';
import { CcHandoffNote } from './handoff-note.component';
import { CcOutboxPanel } from './outbox-panel.component';
import { CcRecentContacts } from './recent-contacts.component';
import { CcSidebar } from './sidebar.component';
import { CcSidebarApp } from './sidebar-app.component';
import { CcVerbalConsent } from './verbal-consent.component';
import { CcWaitingCalls } from './waiting-calls.component';
import { CcWrapUp } from './wrap-up.component';

/**
 * Registers every sidebar element once; extension pages import this, never content scripts.
 * The options page's elements are in define-options.ts, so the sidebar page does not load them.
 */
export function defineSidebarElements(registry: CustomElementRegistry = customElements): void {
  const elements: [string, CustomElementConstructor][] = [
    ['cc-activity-list', CcActivityList],
    ['cc-caller-card', CcCallerCard],
    ['cc-recent-contacts', CcRecentContacts],
    ['cc-sidebar', CcSidebar],
    ['cc-sidebar-app', CcSidebarApp],
    ['cc-wrap-up', CcWrapUp],
    ['cc-outbox-panel', CcOutboxPanel],
    ['cc-waiting-calls', CcWaitingCalls],
    ['cc-verbal-consent', CcVerbalConsent],
    ['cc-conversation', CcConversation],
    ['cc-handoff-note', CcHandoffNote],
  ];
  for (const [tag, element] of elements) if (!registry.get(tag)) registry.define(tag, element);
}
