import type { CallSession } from '../shared/call';
import type { ConfigStore } from './config-store';
import { type FetchLike, followActivityStream } from './gateway-client';
import type { LiveActivity } from './live-activity';

export interface LiveStreamDeps {
  liveActivity: Pick<LiveActivity, 'addStreamed' | 'streamTarget'>;
  config: Pick<ConfigStore, 'get'>;
  fetch?: FetchLike;
  /** Tells the sidebars the call changed (a streamed event was added). */
  broadcast(session: CallSession): void;
  /** Waits between reconnects (tests pass their own). */
  wait?(ms: number, signal: AbortSignal): Promise<void>;
  /** Clock for the stream's liveness (default: `Date.now`). */
  now?(): number;
}

/**
 * A stream counts as alive while something (an event, the gateway's 15 s heartbeat) arrived this
 * recently; one that stalls behind a buffering proxy or a dead connection soon stops counting.
 */
export const STREAM_ALIVE_MS = 35_000;

/** After the stream ended or failed: wait longer each time, up to half a minute. */
const RECONNECT_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * While a call is live, follows the gateway's activity stream for it, so an event the customer
 * causes reaches the sidebar in the time of one round trip instead of waiting for the next poll.
 * The sidebar's polls (every 2 s) stay: they fill any gap while the stream reconnects, after the
 * worker restarts, or where a proxy buffers event streams. Only one call is followed at a time.
 */
export function createLiveStream(deps: LiveStreamDeps) {
  const wait = deps.wait ?? sleep;
  const now = deps.now ?? (() => Date.now());
  let current: { callId: string; controller: AbortController; aliveAt?: number } | undefined;

  const stop = () => {
    current?.controller.abort();
    current = undefined;
  };

  const run = async (callId: string, signal: AbortSignal): Promise<void> => {
    // The id of the last event this call's stream brought: a reconnection (to any replica of
    // the gateway) sends it as Last-Event-ID and gets what was collected while it was down.
    let lastEventId: string | undefined;
    for (let failures = 0; !signal.aborted; ) {
      // Checked before every (re)connection: the call may have ended, or consent changed.
      const target = await deps.liveActivity.streamTarget(callId);
      if (!target || signal.aborted) break;
      const { config } = await deps.config.get();
      const opened = Date.now();
      try {
        await followActivityStream(
          config,
          target.identity,
          (event, eventId) => {
            if (eventId) lastEventId = eventId;
            deps.liveActivity
              .addStreamed(callId, [event])
              .then((session) => session && deps.broadcast(session))
              .catch((error: unknown) => console.error('Caller Context: streamed activity', error));
          },
          signal,
          deps.fetch,
          () => {
            if (current?.controller.signal === signal) current.aliveAt = now();
          },
          lastEventId,
        );
        // A stream that stayed up a while and then ended is no failure of its own.
        failures = Date.now() - opened > 60_000 ? 0 : failures + 1;
        if (current?.controller.signal === signal) delete current.aliveAt;
      } catch {
        failures += 1;
        if (current?.controller.signal === signal) delete current.aliveAt;
      }
      const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length) - 1] ?? 0;
      if (delay > 0) await wait(delay, signal);
    }
    if (current?.callId === callId && current.controller.signal === signal) current = undefined;
  };

  return {
    /**
     * Follows this call's stream (or stops, for null). Called whenever the current call may
     * have changed; cheap when it did not.
     */
    follow(callId: string | null): void {
      if (current?.callId === callId) return;
      stop();
      if (!callId) return;
      const controller = new AbortController();
      current = { callId, controller };
      void run(callId, controller.signal);
    },

    /** Whether this call's stream is connected and heard from lately (events or heartbeats). */
    alive(callId: string): boolean {
      const aliveAt = current?.callId === callId ? current.aliveAt : undefined;
      return aliveAt !== undefined && now() - aliveAt < STREAM_ALIVE_MS;
    },

    /** The call whose stream is followed now, if any. */
    following(): string | undefined {
      return current?.callId;
    },

    stop,
  };
}

export type LiveStream = ReturnType<typeof createLiveStream>;
