import type { ConnectorConfig, ConnectorType } from '../../shared/connectors/connector';
import { type FetchLike, RateLimitedError } from '../../shared/connectors/http';
import type { ActivityEvent, Match } from '../../shared/model';
import { isNewerThan, newestFirst } from '../activity-order';
import { profileIdentities } from '../profile-identities';
import { type SourceConfig, SourceSetupError, type SourceType } from './source';

/** The agent sees a bounded list; the sidebar has no use for a customer's whole history. */
const MAX_ACTIVITY = 50;
/** A 429 is retried when the platform asks for at most this wait (or none): a pop can afford it. */
const MAX_RETRY_WAIT_MS = 1000;
const RETRY_BACKOFF_MS = 200;
const MAX_ATTEMPTS = 3;

/**
 * A gateway source over a shared platform connector (`shared/connectors/`): secrets come from the
 * environment variables the config names, and web events collected for the profile's phone and
 * email join the platform's own activity.
 */
export function connectorSourceType(type: ConnectorType): SourceType {
  return {
    keys: type.keys,
    check: (config) => type.check(config as ConnectorConfig),
    create(config, context) {
      const env = context.env ?? process.env;
      checkSecretsPresent(config, env);
      const connector = type.create(config as ConnectorConfig, {
        fetch: context.fetch ?? (globalThis.fetch as FetchLike),
        secret: (name) => {
          const variable = config[`${name}Env`];
          return typeof variable === 'string' ? env[variable] : undefined;
        },
        now: context.now,
      });
      const withLive = async (match: Match): Promise<Match> => {
        const collected = await context.live.since(profileIdentities(match.profile));
        if (collected.length === 0) return match;
        const ids = new Set(match.activity.map((event) => event.id));
        const merged = [...match.activity, ...collected.filter((event) => !ids.has(event.id))];
        return { ...match, activity: newestFirst(merged, MAX_ACTIVITY) };
      };
      return {
        id: config.id,
        async lookup(identity, signal) {
          const matches = await withRetry(() => connector.lookup(identity, signal), signal);
          return Promise.all(matches.map(withLive));
        },
        async activity(identity, since, signal) {
          const matches = await this.lookup(identity, signal);
          const events: ActivityEvent[] = matches.flatMap((match) => match.activity);
          return newestFirst(
            events.filter((event) => isNewerThan(event, since)),
            MAX_ACTIVITY,
          );
        },
      };
    },
  };
}

/**
 * Retries a rate-limited call after the platform's short `Retry-After`, or a doubling backoff;
 * a longer wait is reported instead (the caller's deadline bounds the whole anyway).
 */
async function withRetry<T>(run: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof RateLimitedError) || attempt >= MAX_ATTEMPTS) throw error;
      const wait = error.retryAfterMs ?? RETRY_BACKOFF_MS * 2 ** (attempt - 1);
      if (wait > MAX_RETRY_WAIT_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
      signal.throwIfAborted();
    }
  }
}

/** At start, not at the first call: an admin learns of a missing variable right away. */
function checkSecretsPresent(config: SourceConfig, env: Record<string, string | undefined>): void {
  for (const [key, variable] of Object.entries(config)) {
    if (!key.endsWith('Env') || typeof variable !== 'string') continue;
    if (!env[variable])
      throw new SourceSetupError(
        `source ${config.id}: the environment variable ${variable} (${key}) is not set`,
      );
  }
}
