import type { FetchLike } from '../../shared/connectors/http';
import type { ActivityEvent, Identity, Match } from '../../shared/model';
import type { LiveBuffer } from '../live-buffer';

/** One configured profile source (docs/architecture.md, "Gateway configuration", `sources`). */
export interface Source {
  /** The config's `id`; it names the source in `Profile.source` and in `CallerContext.errors`. */
  readonly id: string;
  /** Profiles known for the identity, each with its activity and cases. */
  lookup(identity: Identity, signal: AbortSignal): Promise<Match[]>;
  /** Activity newer than `since` of the profiles known for the identity, newest first. */
  activity(identity: Identity, since: Date, signal: AbortSignal): Promise<ActivityEvent[]>;
}

/** A `sources[]` entry as the config holds it; each type reads its own extra keys. */
export interface SourceConfig {
  id: string;
  type: string;
  [key: string]: unknown;
}

/** A problem with one key of a source's config, the key relative to the source entry. */
export interface SourceConfigProblem {
  key: string;
  message: string;
}

/** What a source may use from the gateway that runs it. */
export interface SourceContext {
  live: LiveBuffer;
  /** Folder that relative paths in the config resolve against. */
  baseDir: string;
  now: () => Date;
  /** How platform connectors reach their platforms (tests hand in a recording fake). */
  fetch?: FetchLike;
  /** Where secrets named by `...Env` keys are read; `process.env` when left out. */
  env?: Record<string, string | undefined>;
}

export interface SourceType {
  /** Keys this type reads besides `id` and `type`; any other key is reported as a likely typo. */
  readonly keys: readonly string[];
  /** Problems with this type's own keys. */
  check(config: SourceConfig): SourceConfigProblem[];
  create(config: SourceConfig, context: SourceContext): Source;
}

/** A source could not start (its seed file is unreadable, say): an admin's problem, not a bug. */
export class SourceSetupError extends Error {
  override name = 'SourceSetupError';
}
