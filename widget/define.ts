import { CcActivityList } from './activity-list.component';
import { CcAuditList } from './audit-list.component';
import { CcCallerCard } from './caller-card.component';
import { CcDetectionStatus } from './detection-status.component';
import { CcOptions } from './options.component';
import { CcOutboxPanel } from './outbox-panel.component';
import { CcSidebar } from './sidebar.component';
import { CcSidebarApp } from './sidebar-app.component';
import { CcVerbalConsent } from './verbal-consent.component';
import { CcWaitingCalls } from './waiting-calls.component';
import { CcWrapUp } from './wrap-up.component';

/** Registers every sidebar element once; extension pages import this, never content scripts. */
export function defineSidebarElements(registry: CustomElementRegistry = customElements): void {
  const elements: [string, CustomElementConstructor][] = [
    ['cc-activity-list', CcActivityList],
    ['cc-caller-card', CcCallerCard],
    ['cc-sidebar', CcSidebar],
    ['cc-sidebar-app', CcSidebarApp],
    ['cc-wrap-up', CcWrapUp],
    ['cc-waiting-calls', CcWaitingCalls],
    ['cc-verbal-consent', CcVerbalConsent],
  ];
  for (const [tag, element] of elements) if (!registry.get(tag)) registry.define(tag, element);
}

/** Registers the options page's elements. */
export function defineOptionsElements(registry: CustomElementRegistry = customElements): void {
  if (!registry.get('cc-options')) registry.define('cc-options', CcOptions);
  if (!registry.get('cc-outbox-panel')) registry.define('cc-outbox-panel', CcOutboxPanel);
  if (!registry.get('cc-detection-status'))
    registry.define('cc-detection-status', CcDetectionStatus);
  if (!registry.get('cc-audit-list')) registry.define('cc-audit-list', CcAuditList);
}
