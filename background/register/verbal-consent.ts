import type { AuditLog } from '../audit-log';
import type { CallSessions } from '../call-sessions';
import type { ConfigStore } from '../config-store';
import type { createLiveActivity } from '../live-activity';
import type { ExtensionIdentity } from '../senders';
import type { BackgroundMessaging } from '../services';
import { createVerbalConsent } from '../verbal-consent';

export interface VerbalConsentRegistrationDeps {
  messaging: BackgroundMessaging;
  self: ExtensionIdentity;
  recentCalls: Promise<CallSessions>;
  config: ConfigStore;
  liveActivity: Pick<ReturnType<typeof createLiveActivity>, 'refresh'>;
  auditLog: Pick<AuditLog, 'record'>;
  whoIsLookingUp(): Promise<string>;
}

/** An anonymous caller's spoken permission, recorded from the sidebar (`requireVerbalConsent`). */
export function registerVerbalConsent({
  messaging,
  self,
  recentCalls,
  config,
  liveActivity,
  auditLog,
  whoIsLookingUp,
}: VerbalConsentRegistrationDeps): void {
  const verbalConsent = createVerbalConsent({
    ...self,
    sessions: recentCalls,
    config,
    liveActivity,
    auditLog,
    who: whoIsLookingUp,
    broadcast: (session) => {
      // Rejects when no sidebar is open to hear it; the sidebar asks again when it opens.
      messaging.sendMessage('callChanged', session).catch(() => {});
    },
  });
  messaging.onMessage('recordVerbalConsent', ({ data, sender }) =>
    verbalConsent.record(data, sender),
  );
}
