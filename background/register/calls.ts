import type { CallSessions } from '../call-sessions';
import type { CallerService } from '../caller-service';
import { GatewayError } from '../gateway-client';
import type { createLiveActivity } from '../live-activity';
import type { LiveStream } from '../live-stream';
import { type ExtensionIdentity, requireOwnPage } from '../senders';
import type { BackgroundMessaging } from '../services';

export interface CallsDeps {
  messaging: BackgroundMessaging;
  self: ExtensionIdentity;
  callerService: Pick<
    CallerService,
    'reportCaller' | 'getCurrentCall' | 'getWaitingCalls' | 'wrapUpCall' | 'retryLookup' | 'resume'
  >;
  liveActivity: Pick<ReturnType<typeof createLiveActivity>, 'refresh' | 'stamp'>;
  liveStream: Pick<LiveStream, 'follow' | 'alive'>;
  recentCalls: Promise<Pick<CallSessions, 'pickMatch'>>;
  /** Clock for the polls' spacing (default: `Date.now`). */
  now?: () => number;
}

/**
 * While the call's stream is alive, the sidebar's 2 s refreshes only stamp the activity as
 * fresh, and ask the gateway once in this long: a safety net for an event the stream missed,
 * without every agent's call polling the platforms' activity APIs every 2 s.
 */
export const POLL_WHILE_STREAMING_MS = 15_000;

/**
 * Calls: what the detectors report, what the sidebar asks of the current and waiting calls, and
 * a fresh look at the live call's web activity. The calls of the last run resume at once.
 */
export function registerCalls({
  messaging,
  self,
  callerService,
  liveActivity,
  liveStream,
  recentCalls,
  now = () => Date.now(),
}: CallsDeps): void {
  // Only the last call's poll time: memory is enough (a new worker simply polls first).
  let lastPoll: { callId: string; at: number } | undefined;
  messaging.onMessage('reportCaller', ({ data, sender }) =>
    callerService.reportCaller(data, sender),
  );
  messaging.onMessage('getCurrentCall', ({ sender }) => callerService.getCurrentCall(sender));
  messaging.onMessage('getWaitingCalls', ({ sender }) => callerService.getWaitingCalls(sender));
  messaging.onMessage('wrapUpCall', ({ data, sender }) => callerService.wrapUpCall(data, sender));
  messaging.onMessage('retryLookup', ({ data, sender }) => callerService.retryLookup(data, sender));
  messaging.onMessage('refreshActivity', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'refreshActivity');
    if (typeof data?.callId !== 'string') return { ok: false, error: 'callId is required' };
    // The sidebar asks while the call is live: (re)start its stream, after a worker restart too.
    liveStream.follow(data.callId);
    try {
      const streaming = liveStream.alive(data.callId);
      const pollDue =
        lastPoll?.callId !== data.callId || now() - lastPoll.at >= POLL_WHILE_STREAMING_MS;
      if (!streaming || pollDue) lastPoll = { callId: data.callId, at: now() };
      const session =
        streaming && !pollDue
          ? await liveActivity.stamp(data.callId)
          : await liveActivity.refresh(data.callId);
      if (session) messaging.sendMessage('callChanged', session).catch(() => {});
      return { ok: true };
    } catch (error) {
      const problem = error instanceof GatewayError ? error.problem : undefined;
      return {
        ok: false,
        error: error instanceof Error ? error.message : 'refresh failed',
        ...(problem ? { problem } : {}),
      };
    }
  });

  messaging.onMessage('pickMatch', async ({ data, sender }) => {
    requireOwnPage(sender, self, 'pickMatch');
    const { callId, profileId } = (data ?? {}) as { callId?: unknown; profileId?: unknown };
    if (typeof callId !== 'string' || typeof profileId !== 'string' || profileId.length > 512)
      return { ok: false, error: 'callId and profileId are required' };
    const picked = await (await recentCalls).pickMatch(callId, profileId);
    if (!picked) return { ok: false, error: 'No such customer among the call’s matches.' };
    messaging.sendMessage('callChanged', picked).catch(() => {});
    // The picked customer's activity from now on, by the stream (restarted for them) and polls.
    liveStream.follow(null);
    liveStream.follow(callId);
    return { ok: true };
  });

  void callerService.resume();
}
