import type { AfterCallEvent } from '../../shared/after-call';
import type { FetchLike } from '../../shared/connectors/http';
import type { TokenSource } from '../../shared/connectors/oauth';

/** A `sinks[]` entry of the gateway config; each type reads its own extra keys. */
export interface SinkConfig {
  id: string;
  type: string;
  [key: string]: unknown;
}

export interface SinkConfigProblem {
  key: string;
  message: string;
}

/** One HTTP request that hands an event to a platform (plain fetch, no browser APIs). */
export interface SinkRequest {
  /** POST unless the platform's idempotent write is another method (Salesforce's upsert: PATCH). */
  method?: 'POST' | 'PATCH';
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface SinkType {
  /** Keys this type reads besides `id` and `type`. */
  readonly keys: readonly string[];
  check(config: SinkConfig): SinkConfigProblem[];
  /**
   * The request for one event. `bearer` is an OAuth access token when the sink is configured
   * for one. The event's own id goes along wherever the platform deduplicates by an id.
   */
  request(event: AfterCallEvent, config: SinkConfig, bearer?: string): SinkRequest;
  /** A non-2xx answer that still means "already have it" (a repeated create of one id). */
  alreadyStored?(status: number, body: string): boolean;
  /**
   * How this type signs in, where the gateway's generic client credentials do not fit (Salesforce:
   * its own token endpoint, no scope, or the JWT bearer flow). The token source caches its token;
   * the gateway keeps one per sink and hands `get()`'s token to `request` as `bearer`.
   */
  signIn?(config: SinkConfig, deps: SinkSignInDeps): TokenSource;
}

export interface SinkSignInDeps {
  fetch: FetchLike;
  /** The environment the `...Env` keys name. */
  env: Record<string, string | undefined>;
  now: () => Date;
}

/**
 * The notes with a line saying who the customer's manager is from now on ("Make me their
 * manager"), for platforms whose call record is the place an admin or a flow reads it from.
 */
export function withManagerNote(notes: string, event: AfterCallEvent): string {
  const manager = event.newManager;
  if (!manager) return notes;
  const who = [manager.name, manager.email && `<${manager.email}>`].filter(Boolean).join(' ');
  const line = `The customer's own manager from now on: ${who || manager.id} (chosen at wrap-up).`;
  return notes ? `${notes}\n\n${line}` : line;
}

export function text(config: SinkConfig, key: string): string | undefined {
  const value = config[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function requireKeys(config: SinkConfig, keys: readonly string[]): SinkConfigProblem[] {
  return keys.flatMap((key) =>
    text(config, key) ? [] : [{ key, message: `is required for a ${config.type} sink` }],
  );
}

export function checkUrl(config: SinkConfig, key: string): SinkConfigProblem[] {
  const value = config[key];
  if (value === undefined) return [];
  try {
    const url = new URL(String(value));
    if (url.protocol === 'https:' || url.protocol === 'http:') return [];
  } catch {
    // reported below
  }
  return [{ key, message: 'must be an http(s) URL' }];
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
