import type { AfterCallEvent } from '../shared/after-call';
import type { FetchLike } from '../shared/connectors/http';
import type { TokenSource } from '../shared/connectors/oauth';
import { sinkTypes } from './sinks/registry';
import { type SinkConfig, text } from './sinks/sink';

export type { FetchLike } from '../shared/connectors/http';

export interface SinkFailure {
  sink: string;
  message: string;
  /** The sink's HTTP status, when it answered. */
  status?: number;
}

/** A sink that answered with an error status. */
class SinkAnswerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A failure that sending again will not cure: the sink refused the event itself (4xx other
 * than 401/403, whose credentials an admin can fix, 408 and 429, which are about timing).
 */
export function isPermanentFailure(failure: SinkFailure): boolean {
  const { status } = failure;
  return (
    status !== undefined && status >= 400 && status < 500 && ![401, 403, 408, 429].includes(status)
  );
}

export interface SinkForwarder {
  readonly count: number;
  /** Sends the event to every sink not in `done`; says which took it and which failed. */
  forward(
    event: AfterCallEvent,
    done: ReadonlySet<string>,
  ): Promise<{ delivered: string[]; failures: SinkFailure[] }>;
}

export interface ForwarderOptions {
  fetch?: FetchLike;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  now?: () => number;
}

const TOKEN_MARGIN_MS = 60_000;

/**
 * Hands after-call events to the configured sinks (Adobe streaming ingestion, Segment, Unomi,
 * Dynamics 365, Salesforce). Secrets come from the environment variables the config names. A sink
 * type that signs in its own way (Salesforce's token endpoint or JWT bearer flow, Unomi's keys)
 * does; the others use OAuth client credentials, kept until shortly before they expire. Each
 * request goes with the method its type names (Salesforce's upsert by external id: PATCH).
 */
export function createSinkForwarder(
  configs: readonly SinkConfig[],
  options: ForwarderOptions = {},
): SinkForwarder {
  const fetchImpl = options.fetch ?? fetch;
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const tokens = new Map<string, { value: string; until: number }>();
  // Sink types that sign in their own way (Salesforce, Unomi's keys): one token source per sink.
  const signIns = new Map<string, TokenSource>();
  const ownSignIn = (config: SinkConfig): TokenSource | undefined => {
    const type = sinkTypes[config.type];
    if (!type?.signIn) return undefined;
    let source = signIns.get(config.id);
    if (!source) {
      source = type.signIn(config, { fetch: fetchImpl, env, now: () => new Date(now()) });
      signIns.set(config.id, source);
    }
    return source;
  };

  const credential = async (config: SinkConfig): Promise<string | undefined> => {
    const own = ownSignIn(config);
    if (own) return (await own.get(AbortSignal.timeout(timeoutMs))) || undefined;
    // Segment's write key and Unomi's peer key are used as they are.
    for (const key of ['writeKeyEnv', 'peerKeyEnv'] as const) {
      const name = text(config, key);
      if (name) return env[name];
    }
    const secretName = text(config, 'clientSecretEnv');
    const clientId = text(config, 'clientId');
    if (!secretName || !clientId) return undefined;
    const cached = tokens.get(config.id);
    if (cached && cached.until > now()) return cached.value;
    const secret = env[secretName];
    if (!secret) throw new Error(`the environment variable ${secretName} is not set`);
    const tokenUrl =
      text(config, 'tokenUrl') ??
      (config.type === 'dynamics'
        ? `https://login.microsoftonline.com/${text(config, 'tenantId') ?? 'common'}/oauth2/v2.0/token`
        : 'https://ims-na1.adobelogin.com/ims/token/v3');
    const scope =
      text(config, 'scope') ??
      (config.type === 'dynamics'
        ? `${new URL(text(config, 'baseUrl') ?? 'https://invalid').origin}/.default`
        : 'openid,AdobeID,read_organizations,additional_info.projectedProductContext');
    const response = await fetchImpl(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
        scope,
      }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) throw new Error(`the token endpoint answered ${response.status}`);
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string') throw new Error('the token endpoint sent no token');
    const life = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3600_000;
    tokens.set(config.id, { value: body.access_token, until: now() + life - TOKEN_MARGIN_MS });
    return body.access_token;
  };

  const deliver = async (event: AfterCallEvent, config: SinkConfig): Promise<void> => {
    const type = sinkTypes[config.type];
    if (!type) throw new Error(`unknown sink type "${config.type}"`);
    const request = type.request(event, config, await credential(config));
    const response = await fetchImpl(request.url, {
      method: request.method ?? 'POST',
      headers: request.headers,
      body: JSON.stringify(request.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    // A refused token is fetched anew for the next attempt (the queue retries 401s).
    if (response.status === 401) ownSignIn(config)?.invalidate();
    if (response.ok || type.alreadyStored?.(response.status, body)) return;
    throw new SinkAnswerError(
      response.status,
      `answered ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`,
    );
  };

  return {
    count: configs.length,
    async forward(event, done) {
      const pending = configs.filter((config) => !done.has(config.id));
      const results = await Promise.allSettled(pending.map((config) => deliver(event, config)));
      const delivered: string[] = [];
      const failures: SinkFailure[] = [];
      results.forEach((result, i) => {
        const sink = (pending[i] as SinkConfig).id;
        if (result.status === 'fulfilled') delivered.push(sink);
        else {
          const reason = result.reason;
          const message = reason instanceof Error ? reason.message : String(reason);
          failures.push({
            sink,
            message: message.slice(0, 300),
            ...(reason instanceof SinkAnswerError ? { status: reason.status } : {}),
          });
        }
      });
      return { delivered, failures };
    },
  };
}
