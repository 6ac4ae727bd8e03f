import type { AuditLog } from '../audit-log';
import { type ExtensionIdentity, requireOwnPage } from '../senders';
import type { BackgroundMessaging } from '../services';

export interface AuditDeps {
  messaging: BackgroundMessaging;
  self: ExtensionIdentity;
  auditLog: Pick<AuditLog, 'list'>;
}

/** The local audit list of lookups, shown on the options page. */
export function registerAudit({ messaging, self, auditLog }: AuditDeps): void {
  messaging.onMessage('getAuditLog', async ({ sender }) => {
    requireOwnPage(sender, self, 'getAuditLog');
    return { entries: await auditLog.list() };
  });
}
