import type { ExtensionConfig } from '../shared/config';
import { type FetchLike, retryAfterMs } from '../shared/connectors/http';
import { formatIdentity } from '../shared/identity';
import type { ActivityEvent, CallerContext, Identity } from '../shared/model';
import type { Problem } from '../shared/problem';

/** One `fetch` shape for every HTTP client in the project (shared/connectors/http.ts). */
export type { FetchLike } from '../shared/connectors/http';

/** How long the pop may wait for the gateway before the agent is told. */
export const CONTEXT_TIMEOUT_MS = 8000;

export class GatewayError extends Error {
  constructor(
    message: string,
    /** Set when the gateway answered 429: how long it asked us to wait (`Retry-After`), if it said. */
    readonly retryAfterMs?: number,
    readonly rateLimited = false,
    /** The same failure as a code, which the sidebar words in the agent's language. */
    readonly problem?: Problem,
  ) {
    super(message);
  }
}

/** A gateway failure the agent is told about: the English text, and its code for the sidebar. */
function failure(
  message: string,
  problem: Problem,
  rateLimit?: { retryAfterMs: number | undefined },
): GatewayError {
  return new GatewayError(message, rateLimit?.retryAfterMs, rateLimit !== undefined, problem);
}

function unreachable(gatewayUrl: string): GatewayError {
  return failure(`Cannot reach the gateway at ${gatewayUrl}.`, {
    code: 'gatewayUnreachable',
    params: { url: gatewayUrl },
  });
}

function unexpected(): GatewayError {
  return failure('The gateway sent an unexpected response.', { code: 'gatewayUnexpected' });
}

function answered(status: number, detail?: string): GatewayError {
  return detail
    ? failure(`The gateway answered ${status}: ${detail}.`, {
        code: 'gatewayStatusDetail',
        params: { status: String(status), detail },
      })
    : failure(`The gateway answered ${status}.`, {
        code: 'gatewayStatus',
        params: { status: String(status) },
      });
}

/** Asks the gateway for a caller's context; every failure becomes a message an agent can act on. */
export async function fetchCallerContext(
  config: Pick<ExtensionConfig, 'gatewayUrl' | 'gatewayToken'>,
  identity: Identity,
  fetchImpl: FetchLike = fetch,
  signal?: AbortSignal,
): Promise<CallerContext> {
  const url = `${config.gatewayUrl}/v1/context?identity=${encodeURIComponent(formatIdentity(identity))}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.gatewayToken) headers.authorization = `Bearer ${config.gatewayToken}`;
  let response: Response;
  try {
    const timeout = AbortSignal.timeout(CONTEXT_TIMEOUT_MS);
    response = await fetchImpl(url, {
      headers,
      signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof GatewayError) throw error;
    if (error instanceof DOMException && error.name === 'TimeoutError')
      throw failure(`The gateway did not answer within ${CONTEXT_TIMEOUT_MS / 1000} s.`, {
        code: 'gatewayTimeout',
        params: { seconds: CONTEXT_TIMEOUT_MS / 1000 },
      });
    throw unreachable(config.gatewayUrl);
  }
  if (response.status === 401 || response.status === 403)
    throw failure('The gateway refused our sign-in. Ask your admin to check the token.', {
      code: 'gatewayRefused',
    });
  if (response.status === 429)
    throw failure(
      'The gateway is busy; trying again shortly.',
      { code: 'gatewayBusy' },
      { retryAfterMs: retryAfterMs(response.headers.get('retry-after')) },
    );
  if (!response.ok) throw answered(response.status, await errorMessage(response));
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw failure('The gateway sent a response that is not JSON.', { code: 'gatewayNotJson' });
  }
  if (!isCallerContext(body)) throw unexpected();
  return body;
}

async function errorMessage(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    const message = body.error?.message;
    return typeof message === 'string' ? message.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}

function isCallerContext(value: unknown): value is CallerContext {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    Array.isArray(v.matches) &&
    Array.isArray(v.errors) &&
    typeof v.fetchedAt === 'string' &&
    typeof v.identity === 'object' &&
    v.matches.every(
      (m: unknown) =>
        typeof m === 'object' &&
        m !== null &&
        typeof (m as { profile?: { id?: unknown } }).profile?.id === 'string' &&
        Array.isArray((m as { activity?: unknown }).activity) &&
        Array.isArray((m as { cases?: unknown }).cases),
    )
  );
}

/** Web activity of the caller newer than `since` (the gateway's `/v1/activity`). */
export async function fetchActivitySince(
  config: Pick<ExtensionConfig, 'gatewayUrl' | 'gatewayToken'>,
  identity: Identity,
  since: string,
  fetchImpl: FetchLike = fetch,
): Promise<ActivityEvent[]> {
  const query = `identity=${encodeURIComponent(formatIdentity(identity))}&since=${encodeURIComponent(since)}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.gatewayToken) headers.authorization = `Bearer ${config.gatewayToken}`;
  let response: Response;
  try {
    response = await fetchImpl(`${config.gatewayUrl}/v1/activity?${query}`, {
      headers,
      signal: AbortSignal.timeout(CONTEXT_TIMEOUT_MS),
    });
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw unreachable(config.gatewayUrl);
  }
  if (!response.ok) throw answered(response.status);
  const body = (await response.json().catch(() => null)) as { events?: unknown } | null;
  if (!body || !Array.isArray(body.events)) throw unexpected();
  return body.events.filter(isActivityEvent);
}

export function isActivityEvent(value: unknown): value is ActivityEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.id === 'string' && typeof e.at === 'string' && typeof e.type === 'string';
}

/** The longest Server-Sent Events message we hold: a stream that never ends a message is cut. */
const MAX_SSE_MESSAGE = 256 * 1024;

/**
 * Reads a Server-Sent Events body (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * `data:` lines joined by newlines make a message, a blank line ends it, `:` lines are comments
 * (the gateway's heartbeats), and an `id:` line sets the last event ID, handed over with each
 * message from then on (what a reconnection sends back as `Last-Event-ID`). Returns a function
 * to feed text chunks as they arrive.
 */
export function createSseParser(
  onMessage: (data: string, lastEventId: string | undefined) => void,
): (chunk: string) => void {
  let buffer = '';
  let data: string[] = [];
  let lastEventId: string | undefined;
  return (chunk) => {
    buffer += chunk;
    let newline = buffer.search(/\r\n|\r|\n/);
    while (newline !== -1) {
      const line = buffer.slice(0, newline);
      const width = buffer.startsWith('\r\n', newline) ? 2 : 1;
      // A lone \r at the end of a chunk may be the first half of \r\n: wait for more.
      if (buffer[newline] === '\r' && width === 1 && newline === buffer.length - 1) break;
      buffer = buffer.slice(newline + width);
      if (line === '') {
        if (data.length > 0) onMessage(data.join('\n'), lastEventId);
        data = [];
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      } else if (line.startsWith('id:')) {
        const id = line.slice(line.startsWith('id: ') ? 4 : 3);
        // The spec ignores an id with a NULL in it.
        if (!id.includes('\0')) lastEventId = id;
      }
      newline = buffer.search(/\r\n|\r|\n/);
    }
    const held = buffer.length + data.reduce((sum, part) => sum + part.length, 0);
    if (held > MAX_SSE_MESSAGE)
      throw new GatewayError('The activity stream sent an oversized message.');
  };
}

/**
 * Follows the gateway's `/v1/activity/stream` for an identity: each new web event as it is
 * collected, with the stream's id for it. With `lastEventId` (the id of the last event a broken
 * stream brought) the gateway first sends what was collected since, from any of its replicas.
 * Resolves when the gateway ends the stream or `signal` aborts; throws a GatewayError when the
 * gateway refuses or cannot be reached.
 */
export async function followActivityStream(
  config: Pick<ExtensionConfig, 'gatewayUrl' | 'gatewayToken'>,
  identity: Identity,
  onEvent: (event: ActivityEvent, eventId: string | undefined) => void,
  signal: AbortSignal,
  fetchImpl: FetchLike = fetch,
  /** Called whenever anything arrives, heartbeats included: the stream is alive. */
  onAlive: () => void = () => {},
  lastEventId?: string,
): Promise<void> {
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (config.gatewayToken) headers.authorization = `Bearer ${config.gatewayToken}`;
  if (lastEventId) headers['last-event-id'] = lastEventId;
  let response: Response;
  try {
    response = await fetchImpl(
      `${config.gatewayUrl}/v1/activity/stream?identity=${encodeURIComponent(formatIdentity(identity))}`,
      { headers, signal },
    );
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof GatewayError) throw error;
    throw new GatewayError(`Cannot reach the gateway at ${config.gatewayUrl}.`);
  }
  if (!response.ok || !response.body) {
    throw new GatewayError(`The gateway answered ${response.status} to the activity stream.`);
  }
  const feed = createSseParser((data, eventId) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return; // One broken message is skipped; the stream and the next ones are fine.
    }
    if (isActivityEvent(parsed)) onEvent(parsed, eventId);
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      onAlive();
      feed(value);
    }
  } catch (error) {
    if (signal.aborted) return;
    throw error instanceof GatewayError
      ? error
      : new GatewayError('The activity stream broke off.');
  } finally {
    reader.releaseLock();
  }
}
