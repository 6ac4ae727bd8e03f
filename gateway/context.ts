import type { CallerContext, Identity } from '../shared/model';
import { callSource } from './source-call';
import type { Source } from './sources/source';

/**
 * Asks every source at once, each under its own deadline. A failing or slow source becomes an
 * entry in `errors`; the others' matches still arrive. GET /v1/context and `lookup` share this.
 */
export async function resolveContext(
  sources: readonly Source[],
  identity: Identity,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<CallerContext> {
  const outcomes = await Promise.all(
    sources.map((source) =>
      callSource((sourceSignal) => source.lookup(identity, sourceSignal), timeoutMs, signal),
    ),
  );
  const context: CallerContext = {
    identity,
    matches: [],
    fetchedAt: new Date().toISOString(),
    errors: [],
  };
  outcomes.forEach((outcome, i) => {
    const source = sources[i]?.id ?? 'unknown';
    if (outcome.ok) context.matches.push(...outcome.value);
    else context.errors.push({ source, message: outcome.message });
  });
  return context;
}
