/**
 * The one way connectors talk HTTP: plain `fetch` (injectable, so the gateway, the background
 * worker and tests share the code), bounded bodies, and failures turned into messages an admin
 * can act on. Nothing here quotes a request URL back, since URLs carry identities.
 */

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Largest response body a connector reads; a platform answering more is treated as broken. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** A platform said no, or said something we cannot use. */
export class ConnectorError extends Error {
  override name = 'ConnectorError';
  constructor(
    message: string,
    /** The HTTP status, when the platform answered at all. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** 429 from a platform: try again after `retryAfterMs` (from `Retry-After`, when it sent one). */
export class RateLimitedError extends ConnectorError {
  override name = 'RateLimitedError';
  constructor(
    platform: string,
    readonly retryAfterMs: number | undefined,
  ) {
    const after =
      retryAfterMs === undefined ? '' : ` (retry after ${Math.ceil(retryAfterMs / 1000)} s)`;
    super(`${platform} is rate limiting us${after}`, 429);
  }
}

export interface JsonRequest {
  /** Names the platform in messages, e.g. "Adobe Experience Platform". */
  platform: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Statuses that are an answer, not a failure (404: no such profile). */
  accept?: readonly number[];
  maxBytes?: number;
}

export interface JsonResponse {
  status: number;
  body: unknown;
}

/** Sends one request and parses its JSON answer, or throws a `ConnectorError` that says why not. */
export async function requestJson(
  fetchImpl: FetchLike,
  request: JsonRequest,
): Promise<JsonResponse> {
  const { platform } = request;
  let response: Response;
  try {
    response = await fetchImpl(request.url, {
      method: request.method ?? 'GET',
      headers: { accept: 'application/json', ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal.aborted) throw request.signal.reason ?? error;
    throw new ConnectorError(`cannot reach ${platform} at ${hostOf(request.url)}${causeOf(error)}`);
  }
  const accepted = request.accept?.includes(response.status) ?? false;
  if (response.status === 429) {
    await response.body?.cancel().catch(() => {});
    throw new RateLimitedError(platform, retryAfterMs(response.headers.get('retry-after')));
  }
  const text = await readBounded(response, request.maxBytes ?? MAX_BODY_BYTES, platform);
  if (!response.ok && !accepted) {
    const detail = errorDetail(text);
    const hint =
      response.status === 401 || response.status === 403
        ? ': check the credentials and permissions in the gateway config'
        : '';
    throw new ConnectorError(
      `${platform} answered ${response.status}${detail ? ` (${detail})` : ''}${hint}`,
      response.status,
    );
  }
  if (text.trim() === '') return { status: response.status, body: undefined };
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    throw new ConnectorError(`${platform} sent a response that is not JSON`, response.status);
  }
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110, 10.2.3), in milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function readBounded(
  response: Response,
  maxBytes: number,
  platform: string,
): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(platform, maxBytes, response.status);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(platform, maxBytes, response.status);
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(joined);
}

function tooLarge(platform: string, maxBytes: number, status: number): ConnectorError {
  return new ConnectorError(
    `${platform} sent more than ${Math.round(maxBytes / 1024 / 1024)} MB; refusing to read it`,
    status,
  );
}

/** The platform's own words for an error, from the usual JSON error shapes, kept short. */
function errorDetail(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  const candidates: unknown[] = [];
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const nested = record.error;
    if (typeof nested === 'object' && nested !== null)
      candidates.push((nested as Record<string, unknown>).message);
    candidates.push(
      typeof nested === 'string' ? nested : undefined,
      record.title,
      record.detail,
      record.message,
      record.error_description,
    );
  }
  const words = candidates.filter((c): c is string => typeof c === 'string' && c.trim() !== '');
  return words.length > 0 ? [...new Set(words)].join(': ').slice(0, 200) : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? ` (${cause.code})` : '';
}

/** Reads a value at a dotted path (`person.name.firstName`, `items.0.id`) of parsed JSON. */
export function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export { isRecord as isObject } from '../json';

/** ISO 8601 from epoch milliseconds or a date string; undefined when neither. */
export function isoTime(value: unknown): string | undefined {
  const ms =
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function basicAuth(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * A secondary read (a customer's contact history) that the account may not be allowed, or the
 * platform may not offer: refused (400, 403) or missing (404) leaves it out, and the caller is
 * still shown. Anything else (sign-in, rate limits, outages) fails as usual.
 */
export async function optionalRead<T>(work: Promise<T>, fallback: T): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof ConnectorError && [400, 403, 404].includes(error.status ?? 0))
      return fallback;
    throw error;
  }
}
