import type { CallerContext, Identity, Match } from '../../shared/model';
import { callSource, type SourceOutcome } from '../source-call';
import type { Source } from '../sources/source';

/** A lookup of every source that can be read before it is done. */
export interface ContextInProgress {
  /** Every source answered, failed or timed out (under `timeoutMs` each), as GET /v1/context. */
  complete: Promise<CallerContext>;
  /** What has arrived so far; a source still working is an error entry saying so. */
  snapshot(pendingMessage: string): CallerContext;
  /** True once every source settled. */
  readonly done: boolean;
}

/**
 * Asks every source at once, as `resolveContext` does (gateway/context.ts), but lets the caller
 * read the outcomes that have arrived at any moment: the IVR answers within its budget with those,
 * while the slow sources go on and the complete context is kept for the agent's screen pop.
 */
export function startContext(
  sources: readonly Source[],
  identity: Identity,
  timeoutMs: number,
  now: () => Date = () => new Date(),
): ContextInProgress {
  const outcomes: (SourceOutcome<Match[]> | undefined)[] = sources.map(() => undefined);
  let done = false;
  const build = (pendingMessage?: string): CallerContext => {
    const context: CallerContext = {
      identity,
      matches: [],
      fetchedAt: now().toISOString(),
      errors: [],
    };
    outcomes.forEach((outcome, i) => {
      const source = sources[i]?.id ?? 'unknown';
      if (!outcome) context.errors.push({ source, message: pendingMessage ?? 'no answer' });
      else if (outcome.ok) context.matches.push(...outcome.value);
      else context.errors.push({ source, message: outcome.message });
    });
    return context;
  };
  const complete = Promise.all(
    sources.map(async (source, i) => {
      outcomes[i] = await callSource((signal) => source.lookup(identity, signal), timeoutMs);
    }),
  ).then(() => {
    done = true;
    return build();
  });
  return {
    complete,
    snapshot: (pendingMessage) => build(pendingMessage),
    get done() {
      return done;
    },
  };
}
