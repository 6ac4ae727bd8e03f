import type { CallSessions } from '../call-sessions';
import type { RuleScripts } from '../rule-scripts';
import type { ExtensionIdentity } from '../senders';
import type { BackgroundMessaging } from '../services';

export interface DetectionDeps {
  messaging: BackgroundMessaging;
  self: ExtensionIdentity;
  ruleScripts: Pick<RuleScripts, 'rulesFor' | 'status' | 'sync'>;
  /** The call sessions, once the database is open. */
  recentCalls: Promise<Pick<CallSessions, 'recent'>>;
}

/**
 * Detection: the admin rules a tab's detector applies, what the detectors read lately (for the
 * options page), and the rule script registered for granted origins.
 */
export function registerDetection({
  messaging,
  self,
  ruleScripts,
  recentCalls,
}: DetectionDeps): void {
  const ownPage = (url: string | undefined) => (url ?? '').startsWith(self.extensionOrigin);
  messaging.onMessage('detectionRules', async ({ sender }) => {
    if (sender.id !== self.extensionId || !sender.tab?.url) return { rules: [] };
    return ruleScripts.rulesFor(sender.tab.url);
  });
  messaging.onMessage('detectionStatus', async ({ data, sender }) => {
    if (!ownPage(sender.url)) throw new Error('detectionStatus: not from our pages');
    const status = await ruleScripts.status(typeof data?.url === 'string' ? data.url : '');
    const recent = await (await recentCalls).recent(5);
    return {
      ...status,
      seen: recent.map((s) => ({
        detector: s.detector,
        raw: s.rawNumber,
        state: s.state,
        at: s.updatedAt,
        ...(s.problem ? { problem: s.problem } : {}),
      })),
    };
  });
  messaging.onMessage('syncRuleScripts', async ({ sender }) => {
    if (!ownPage(sender.url)) throw new Error('syncRuleScripts: not from our pages');
    return { registered: await ruleScripts.sync() };
  });
}
