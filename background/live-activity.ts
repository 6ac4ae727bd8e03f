import type { CallSession } from '../shared/call';
import { activityDenied, withholdActivity } from '../shared/consent';
import type { ActivityEvent, Identity } from '../shared/model';
import type { CallSessions } from './call-sessions';
import type { ConfigStore } from './config-store';
import { type FetchLike, fetchActivitySince } from './gateway-client';
import { mayLookBeyondNumber } from './verbal-consent';

/** The most events a match keeps: a long browse must not grow the stored session forever. */
const MAX_EVENTS = 200;
/**
 * How far before the newest event we hold each check asks again. "Newer than the newest" alone
 * loses events: two in the same millisecond (or second, where a source keeps no more), a site
 * that sends its events in batches a little after they happened, or an agent's clock ahead of
 * the gateway's. Asking for an overlap and keeping each event id once costs a few repeated
 * events per check and loses none of these.
 */
export const ACTIVITY_OVERLAP_MS = 120_000;

function overlapping(at: string): string {
  const time = Date.parse(at);
  return Number.isNaN(time) ? at : new Date(time - ACTIVITY_OVERLAP_MS).toISOString();
}

/** How far back an anonymous caller's visit is read, the first time they allowed it. */
export const ANONYMOUS_LOOKBACK_MS = 24 * 3600_000;

export interface LiveActivityDeps {
  /** The calls' store, as the call state lends it (background/call-state.ts). */
  sessions: Promise<Pick<CallSessions, 'get' | 'setLookup'>>;
  config: ConfigStore;
  fetch?: FetchLike;
  now?: () => Date;
}

/**
 * Keeps a live call's web activity fresh: asks the gateway for what is newer than the newest
 * event the call holds, adds it (newest first, no duplicates) and stamps the time of the check.
 * Only a call with exactly one match gets events: with several, nothing is attributed to a
 * person the agent has not picked. A call without a match gets the events collected under its
 * number only once the caller allowed it (config `requireVerbalConsent`); while their answer is
 * awaited, or after they declined, nothing is asked of the gateway at all.
 */
export function createLiveActivity(deps: LiveActivityDeps) {
  const now = deps.now ?? (() => new Date());
  // Polls and the stream both update the stored call: one read-change-write at a time, so
  // neither writes back a session that misses what the other just added.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(change: () => Promise<T>): Promise<T> => {
    const next = queue.then(change, change);
    queue = next.catch(() => {});
    return next;
  };

  /** The live call as far as its activity goes, or null when nothing may be asked or shown. */
  const liveTarget = async (callId: string) => {
    const sessions = await deps.sessions;
    const session = await sessions.get(callId);
    if (!session?.identity || session.lookup.status !== 'done') return null;
    if (session.state !== 'ringing' && session.state !== 'connected') return null;
    const { config } = await deps.config.get();
    if (!mayLookBeyondNumber(session, config)) return null;
    const context = session.lookup.context;
    // One match, or the one the agent picked where several customers share the number.
    const matchIndex =
      context.matches.length === 1
        ? 0
        : context.matches.findIndex((m) => m.profile.id === session.pickedProfileId);
    const match = matchIndex >= 0 ? context.matches[matchIndex] : undefined;
    // The anonymous caller allowed it: their visit under this number, kept in the context.
    const anonymous = context.matches.length === 0 && session.verbalConsent?.state === 'given';
    // Several matches and no pick (nothing is attributed before the agent picks) or a caller
    // whose visit was not asked for: nothing to show, so nothing is asked of the gateway.
    if (!match && !anonymous) return null;
    const withheld = match !== undefined && activityDenied(match);
    // A shared number's activity belongs to every customer with it: the picked customer's own
    // is asked for under their email; without one nothing can be attributed to them alone.
    const shared = context.matches.length > 1;
    const email = match?.profile.emails?.[0];
    if (shared && !email) return null;
    const identity: Identity =
      shared && email ? { namespace: 'email', value: email.toLowerCase() } : session.identity;
    return {
      sessions,
      session,
      identity,
      config,
      context,
      match,
      matchIndex,
      anonymous,
      withheld,
    };
  };
  type LiveTarget = NonNullable<Awaited<ReturnType<typeof liveTarget>>>;

  const write = async (target: LiveTarget, fresh: readonly ActivityEvent[], checkedAt: string) => {
    const { match, context, anonymous, withheld } = target;
    // Without personalisation consent new events are only counted, never kept.
    const updated = match
      ? withheld
        ? withholdActivity(match, fresh)
        : { ...match, activity: merge(match.activity, fresh) }
      : null;
    return (
      (await target.sessions.setLookup(target.session.id, {
        status: 'done',
        context: {
          ...context,
          fetchedAt: checkedAt,
          matches: updated
            ? context.matches.map((m, i) => (i === target.matchIndex ? updated : m))
            : context.matches,
          ...(anonymous ? { activity: merge(context.activity ?? [], fresh) } : {}),
        },
      })) ?? null
    );
  };

  /**
   * A call looked up before the config began to ask anonymous callers' permission has no answer
   * and no question: it is held back like the others, so the sidebar must ask now.
   */
  const askIfNowRequired = async (callId: string): Promise<CallSession | null> => {
    const sessions = await deps.sessions;
    const session = await sessions.get(callId);
    if (!session || session.verbalConsent || session.lookup.status !== 'done') return null;
    if (session.state !== 'ringing' && session.state !== 'connected') return null;
    if (session.lookup.context.matches.length > 0) return null;
    const { config } = await deps.config.get();
    if (!config.requireVerbalConsent) return null;
    return (
      (await sessions.setLookup(callId, session.lookup, { verbalConsentRequired: true })) ?? null
    );
  };

  return {
    async refresh(callId: string): Promise<CallSession | null> {
      const target = await liveTarget(callId);
      if (!target) return serial(() => askIfNowRequired(callId));
      const { context, match, anonymous, withheld } = target;
      const since = anonymous
        ? context.activity?.[0]
          ? overlapping(context.activity[0].at)
          : new Date(Date.parse(target.session.ringingAt) - ANONYMOUS_LOOKBACK_MS).toISOString()
        : withheld
          ? // Withheld events are only counted: each check counts what came after the last one.
            context.fetchedAt
          : overlapping(match?.activity[0]?.at ?? context.fetchedAt);
      const fresh = await fetchActivitySince(target.config, target.identity, since, deps.fetch);
      const checkedAt = now().toISOString();
      // Applied to the call as it is now: the stream may have added events meanwhile.
      return serial(async () => {
        const current = await liveTarget(callId);
        return current ? write(current, fresh, checkedAt) : null;
      });
    },

    /**
     * Events the gateway's stream delivered for a live call, added at once. Not for a customer
     * who denied personalisation: withheld events are counted by the polls alone, each once.
     */
    addStreamed(callId: string, events: readonly ActivityEvent[]): Promise<CallSession | null> {
      return serial(async () => {
        const target = await liveTarget(callId);
        if (!target || target.withheld) return null;
        return write(target, events, now().toISOString());
      });
    },

    /**
     * Stamps the call's activity as checked now without asking the gateway: for a call whose
     * stream is alive, which has already brought anything new.
     */
    stamp(callId: string): Promise<CallSession | null> {
      return serial(async () => {
        const target = await liveTarget(callId);
        if (!target || target.withheld) return null;
        return write(target, [], now().toISOString());
      });
    },

    /** Whether a call's activity may follow the gateway's stream now, and under which identity. */
    async streamTarget(callId: string): Promise<{ identity: Identity } | null> {
      const target = await liveTarget(callId);
      return target && !target.withheld ? { identity: target.identity } : null;
    },
  };
}

export type LiveActivity = ReturnType<typeof createLiveActivity>;

function merge(known: readonly ActivityEvent[], fresh: readonly ActivityEvent[]): ActivityEvent[] {
  const seen = new Set(known.map((e) => e.id));
  const added = fresh.filter((e) => !seen.has(e.id));
  return [...added, ...known]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, MAX_EVENTS);
}
