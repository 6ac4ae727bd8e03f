import type { ConnectorConfig, ConnectorType } from '../../shared/connectors/connector';
import type { FetchLike } from '../../shared/connectors/http';
import type { ActivityEvent, Match } from '../../shared/model';
import { isNewerThan, newestFirst } from '../activity-order';
import { profileIdentities } from '../profile-identities';
import { type SourceConfig, SourceSetupError, type SourceType } from './source';

/** The agent sees a bounded list; the sidebar has no use for a customer's whole history. */
const MAX_ACTIVITY = 50;

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
          const matches = await connector.lookup(identity, signal);
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
