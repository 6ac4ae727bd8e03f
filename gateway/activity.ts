import type { ActivityEvent, Identity, SourceError } from '../shared/model';
import { newestFirst } from './activity-order';
import type { LiveBuffer } from './live-buffer';
import { callSource } from './source-call';
import type { Source } from './sources/source';

export interface ActivityResult {
  events: ActivityEvent[];
  errors: SourceError[];
}

/**
 * Activity newer than `since` from every source, plus what was collected under this very
 * identity, so a caller no source knows yet still shows their web session.
 */
export async function resolveActivity(
  sources: readonly Source[],
  live: LiveBuffer,
  identity: Identity,
  since: Date,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ActivityResult> {
  const [collected, outcomes] = await Promise.all([
    callSource(() => live.since([identity], since), timeoutMs, signal),
    Promise.all(
      sources.map((source) =>
        callSource(
          (sourceSignal) => source.activity(identity, since, sourceSignal),
          timeoutMs,
          signal,
        ),
      ),
    ),
  ]);
  const events: ActivityEvent[] = collected.ok ? [...collected.value] : [];
  // The store down or slow: the sources' own activity still answers.
  const errors: SourceError[] = collected.ok
    ? []
    : [{ source: 'live', message: collected.message }];
  outcomes.forEach((outcome, i) => {
    if (outcome.ok) events.push(...outcome.value);
    else errors.push({ source: sources[i]?.id ?? 'unknown', message: outcome.message });
  });
  return { events: newestFirst(events), errors };
}
