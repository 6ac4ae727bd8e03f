import type { ActivityEvent } from '../shared/model';

/**
 * Events newest first, each id once (the same web event can reach us through several
 * identities of one customer), at most `limit` of them.
 */
export function newestFirst(events: Iterable<ActivityEvent>, limit = Number.POSITIVE_INFINITY) {
  const byId = new Map<string, { event: ActivityEvent; time: number }>();
  for (const event of events) {
    if (!byId.has(event.id)) byId.set(event.id, { event, time: Date.parse(event.at) });
  }
  return [...byId.values()]
    .sort((a, b) => b.time - a.time || (a.event.id < b.event.id ? -1 : 1))
    .slice(0, limit)
    .map(({ event }) => event);
}

export function isNewerThan(event: ActivityEvent, since: Date | undefined): boolean {
  return since === undefined || Date.parse(event.at) > since.getTime();
}
