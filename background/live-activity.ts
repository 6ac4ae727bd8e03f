import type { CallSession } from '../shared/call';
import { activityDenied, withholdActivity } from '../shared/consent';
import type { ActivityEvent } from '../shared/model';
import type { CallSessions } from './call-sessions';
import type { ConfigStore } from './config-store';
import { type FetchLike, fetchActivitySince } from './gateway-client';

/** The most events a match keeps: a long browse must not grow the stored session forever. */
const MAX_EVENTS = 200;

export interface LiveActivityDeps {
  sessions: Promise<CallSessions>;
  config: ConfigStore;
  fetch?: FetchLike;
  now?: () => Date;
}

/**
 * Keeps a live call's web activity fresh: asks the gateway for what is newer than the newest
 * event the call holds, adds it (newest first, no duplicates) and stamps the time of the check.
 * Only a call with exactly one match gets events: with several, nothing is attributed to a
 * person the agent has not picked.
 */
export function createLiveActivity(deps: LiveActivityDeps) {
  const now = deps.now ?? (() => new Date());
  return {
    async refresh(callId: string): Promise<CallSession | null> {
      const sessions = await deps.sessions;
      const session = await sessions.get(callId);
      if (!session?.identity || session.lookup.status !== 'done') return null;
      if (session.state !== 'ringing' && session.state !== 'connected') return null;
      const context = session.lookup.context;
      const match = context.matches.length === 1 ? context.matches[0] : undefined;
      const since = match?.activity[0]?.at ?? context.fetchedAt;
      const { config } = await deps.config.get();
      const fresh = await fetchActivitySince(config, session.identity, since, deps.fetch);
      const checkedAt = now().toISOString();
      // Without personalisation consent new events are only counted, never kept.
      const updated = match
        ? activityDenied(match)
          ? withholdActivity(match, fresh)
          : { ...match, activity: merge(match.activity, fresh) }
        : null;
      return (
        (await sessions.setLookup(callId, {
          status: 'done',
          context: {
            ...context,
            fetchedAt: checkedAt,
            matches: updated ? [updated] : context.matches,
          },
        })) ?? null
      );
    },
  };
}

function merge(known: readonly ActivityEvent[], fresh: readonly ActivityEvent[]): ActivityEvent[] {
  const seen = new Set(known.map((e) => e.id));
  const added = fresh.filter((e) => !seen.has(e.id));
  return [...added, ...known]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, MAX_EVENTS);
}
