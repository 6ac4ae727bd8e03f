/** Retry timing of the outbox: about 1 s at first, doubling, up to 5 minutes. */
export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_CAP_MS = 5 * 60_000;
/** A Retry-After longer than this is read as this: an outage hint, not a reason to wait a day. */
export const RETRY_AFTER_CAP_MS = 60 * 60_000;

/**
 * The wait after the `failures`-th failure in a row: exponential, with "equal jitter" (half
 * fixed, half random) so that many agents' browsers do not retry in step after an outage, yet
 * never retry sooner than half the schedule.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const exponential = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}

/**
 * Milliseconds from `now` that a `Retry-After` header asks for (RFC 9110 10.2.3: delay-seconds or
 * an HTTP date); undefined when there is none or it cannot be read.
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  let delay: number;
  if (/^\d+$/.test(text)) delay = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    delay = Math.max(0, at - now);
  }
  return Math.min(delay, RETRY_AFTER_CAP_MS);
}
