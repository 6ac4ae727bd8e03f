import { CcAuditList } from './audit-list.component';
import { CcDetectionStatus } from './detection-status.component';
import { CcOptions } from './options.component';
import { CcOutboxPanel } from './outbox-panel.component';

/** Registers the options page's elements. */
export function defineOptionsElements(registry: CustomElementRegistry = customElements): void {
  if (!registry.get('cc-options')) registry.define('cc-options', CcOptions);
  if (!registry.get('cc-outbox-panel')) registry.define('cc-outbox-panel', CcOutboxPanel);
  if (!registry.get('cc-detection-status'))
    registry.define('cc-detection-status', CcDetectionStatus);
  if (!registry.get('cc-audit-list')) registry.define('cc-audit-list', CcAuditList);
}
