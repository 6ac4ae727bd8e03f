import type { AfterCallEvent } from '../shared/after-call';
import type { Problem } from '../shared/problem';

/**
 * One event in the outbox. `at` depends on the status, so that one index (`[status, at]`) serves
 * every query: pending, when the next attempt is due; sent, when the gateway took it; failed,
 * when it was refused.
 */
export interface OutboxEntry {
  id: string;
  event: AfterCallEvent;
  status: 'pending' | 'sent' | 'failed';
  at: number;
  createdAt: number;
  attempts: number;
  /** A send in flight holds the event until then (ms); a dead worker's lease simply expires. */
  leaseUntil: number;
  leaseBy?: string;
  lastError?: string;
  /** `lastError` as a code, worded by the pages in the agent's language. */
  lastProblem?: Problem;
}

/** Shared backoff: while the gateway fails, no event is sent before `pauseUntil`. */
export interface OutboxGate {
  failures: number;
  pauseUntil: number;
  lastError?: string;
  lastProblem?: Problem;
}
