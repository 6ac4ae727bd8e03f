import type { Problem } from '../shared/problem';
import type { CallState } from './call-state';
import { GatewayError } from './gateway-client';
import type { LiveActivity } from './live-activity';
import type { LiveStream } from './live-stream';

/**
 * While the call's stream is alive, the sidebar's 2 s refreshes only stamp the activity as
 * fresh, and ask the gateway once in this long: a safety net for an event the stream missed,
 * without every agent's call polling the platforms' activity APIs every 2 s.
 */
export const POLL_WHILE_STREAMING_MS = 15_000;

export interface ActivityRefreshDeps {
  liveActivity: Pick<LiveActivity, 'refresh' | 'stamp'>;
  liveStream: Pick<LiveStream, 'follow' | 'alive'>;
  /** Publishes the refreshed call (background/call-state.ts). */
  calls: Pick<CallState, 'updated'>;
  /** Clock for the polls' spacing (default: `Date.now`). */
  now?: () => number;
}

/** The sidebar's refresh of the live call's web activity, every 2 s while the call is live. */
export function createActivityRefresh({
  liveActivity,
  liveStream,
  calls,
  now = () => Date.now(),
}: ActivityRefreshDeps) {
  // Only the last call's poll time: memory is enough (a new worker simply polls first).
  let lastPoll: { callId: string; at: number } | undefined;
  return {
    async refresh(callId: string): Promise<{ ok: boolean; error?: string; problem?: Problem }> {
      // The sidebar asks while the call is live: (re)start its stream, after a worker restart too.
      liveStream.follow(callId);
      try {
        const streaming = liveStream.alive(callId);
        const pollDue =
          lastPoll?.callId !== callId || now() - lastPoll.at >= POLL_WHILE_STREAMING_MS;
        if (!streaming || pollDue) lastPoll = { callId, at: now() };
        const session =
          streaming && !pollDue
            ? await liveActivity.stamp(callId)
            : await liveActivity.refresh(callId);
        if (session) calls.updated(session);
        return { ok: true };
      } catch (error) {
        const problem = error instanceof GatewayError ? error.problem : undefined;
        return {
          ok: false,
          error: error instanceof Error ? error.message : 'refresh failed',
          ...(problem ? { problem } : {}),
        };
      }
    },
  };
}

export type ActivityRefresh = ReturnType<typeof createActivityRefresh>;
