import type { CallSession } from '../shared/call';
import { formatIdentity } from '../shared/identity';
import { RECENT_CALLS_MS, RING_LIMIT_MS } from './call-sessions';
import type { Database } from './db';
import type { AlarmsApi } from './outbox-waker';

export const RETENTION_ALARM = 'retention';
/**
 * While a call is still going, when its clock will start is not known: the worker looks again
 * at most this long after, and at most one retention window after (a short window stays short).
 */
export const MAX_LOOK_AGAIN_MS = 15 * 60_000;
/** Never sooner than this between two looks, whatever the window (0 hours included). */
export const MIN_LOOK_AGAIN_MS = 10_000;
/**
 * After a call changes (it ended, was wrapped up) or the settings do, the worker looks this much
 * later: once for a burst of changes, and never in the middle of a screen pop.
 */
export const LOOK_SOON_MS = 5_000;

/** What one pass deleted, and when the next one is due (null: nothing left to delete later). */
export interface PruneResult {
  calls: number;
  drafts: number;
  cached: number;
  sent: number;
  nextAt: number | null;
}

export interface RetentionDeps {
  db: Database | Promise<Database>;
  /** `callDataRetentionHours` of the effective config, read at each pass. */
  retentionHours: () => Promise<number>;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

/**
 * When a call's clock starts: its wrap-up; else its end; else, for a call nobody ended, the
 * moment the sidebar stops offering it (a ring nobody answered: the ring limit; a connected call
 * no tab saw end: when it is no longer recent). `final` is false while the call may still move
 * the time (a call still ringing or connected can end sooner than that).
 */
export function callFinishedAt(call: CallSession): { at: number; final: boolean } {
  if (call.state === 'wrapped_up')
    return { at: Date.parse(call.wrappedUpAt ?? call.updatedAt), final: true };
  if (call.state === 'ended')
    return { at: Date.parse(call.endedAt ?? call.updatedAt), final: true };
  if (call.state === 'ringing')
    return { at: Date.parse(call.updatedAt) + RING_LIMIT_MS, final: false };
  return { at: Date.parse(call.ringingAt) + RECENT_CALLS_MS, final: false };
}

/**
 * Deletes a finished call's personal data from IndexedDB once the retention window after its
 * wrap-up (or end) has passed: the call record (number, profile, web activity, cases), its
 * wrap-up draft and the cached context of its caller; and delivered after-call events that long
 * after delivery. Expired cache entries go too. What stays: the audit list (its own 90 days),
 * events not yet delivered, and refused ones until the agent retries or exports them.
 */
export function createRetention(deps: RetentionDeps) {
  const now = deps.now ?? Date.now;

  return {
    async prune(): Promise<PruneResult> {
      const db = await deps.db;
      const hours = await deps.retentionHours();
      const keepMs = Math.max(0, hours) * 3600_000;
      const at = now();
      let nextAt: number | null = null;
      const later = (time: number) => {
        nextAt = nextAt === null ? time : Math.min(nextAt, time);
      };
      const lookAgain = at + Math.min(MAX_LOOK_AGAIN_MS, Math.max(MIN_LOOK_AGAIN_MS, keepMs));

      // One transaction: a call, its draft and its caller's cached context go together.
      const tx = db.transaction(['calls', 'wrapUpDrafts', 'contextCache', 'outbox'], 'readwrite');
      const calls = tx.objectStore('calls');
      const drafts = tx.objectStore('wrapUpDrafts');
      const cache = tx.objectStore('contextCache');
      const outbox = tx.objectStore('outbox');
      const result: PruneResult = { calls: 0, drafts: 0, cached: 0, sent: 0, nextAt: null };
      const droppedCallers = new Set<string>();
      const keptCalls = new Set<string>();

      let call = await calls.openCursor();
      while (call) {
        const finished = callFinishedAt(call.value);
        const dropAt = finished.at + keepMs;
        if (dropAt <= at) {
          const identity = call.value.identity;
          if (identity) droppedCallers.add(formatIdentity(identity));
          await drafts.delete(call.value.id);
          await call.delete();
          result.calls++;
        } else {
          keptCalls.add(call.value.id);
          later(finished.final ? dropAt : Math.min(dropAt, lookAgain));
        }
        call = await call.continue();
      }

      // A draft whose call is gone (deleted, or never stored) is kept one window after its last edit.
      let draft = await drafts.openCursor();
      while (draft) {
        if (!keptCalls.has(draft.value.callId)) {
          const dropAt = Date.parse(draft.value.updatedAt) + keepMs;
          if (dropAt <= at || Number.isNaN(dropAt)) {
            await draft.delete();
            result.drafts++;
          } else later(dropAt);
        }
        draft = await draft.continue();
      }

      let cached = await cache.openCursor();
      while (cached) {
        if (cached.value.expiresAt <= at || droppedCallers.has(cached.value.key)) {
          await cached.delete();
          result.cached++;
        } else later(cached.value.expiresAt);
        cached = await cached.continue();
      }

      // Delivered events, oldest first (`at` is when the gateway took them).
      let sent = await outbox
        .index('byStatusAt')
        .openCursor(IDBKeyRange.bound(['sent', -Infinity], ['sent', Infinity]));
      while (sent) {
        const dropAt = sent.value.at + keepMs;
        if (dropAt > at) {
          later(dropAt);
          break;
        }
        await sent.delete();
        result.sent++;
        sent = await sent.continue();
      }

      await tx.done;
      return { ...result, nextAt };
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;

/**
 * Runs the pruning now and again when the next deletion is due: a timer while this worker lives
 * and a `chrome.alarms` alarm that restarts a stopped one (alarms fire at most every 30 s in
 * packed extensions: https://developer.chrome.com/docs/extensions/reference/api/alarms). Passes
 * never overlap; a request during one runs one more pass after it.
 */
export function createRetentionRunner(deps: {
  retention: Pick<Retention, 'prune'>;
  alarms: AlarmsApi;
  /** Calls were deleted: the sidebars may be showing one of them. */
  deleted?: () => void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  report?: (error: unknown) => void;
}) {
  const now = deps.now ?? Date.now;
  const setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer =
    deps.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  const report =
    deps.report ??
    ((error: unknown) => console.error('Caller Context: deleting finished calls failed', error));
  // The timer is only a shortcut; the alarm is the record that survives the worker.
  let timer: unknown;
  let soonTimer: unknown;
  let running: Promise<void> | null = null;
  let again = false;

  const schedule = (at: number | null): void => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    if (at === null) {
      void deps.alarms.clear(RETENTION_ALARM);
      return;
    }
    timer = setTimer(
      () => {
        timer = undefined;
        void run();
      },
      Math.max(0, at - now()),
    );
    void deps.alarms.create(RETENTION_ALARM, { when: Math.max(at, now() + 1000) });
  };

  const pass = async (): Promise<void> => {
    try {
      const result = await deps.retention.prune();
      if (result.calls > 0) deps.deleted?.();
      schedule(result.nextAt);
    } catch (error) {
      report(error);
      // Storage failed (a closed database, quota): try again later rather than never.
      schedule(now() + MAX_LOOK_AGAIN_MS);
    }
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    /** Deletes what is due now, then waits for the next deletion due. */
    run,
    /** Something changed (a call, the settings): looks again shortly, once for many changes. */
    soon(): void {
      if (soonTimer !== undefined) return;
      soonTimer = setTimer(() => {
        soonTimer = undefined;
        void run();
      }, LOOK_SOON_MS);
    },
  };
}

export type RetentionRunner = ReturnType<typeof createRetentionRunner>;
