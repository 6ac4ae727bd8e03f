import type { ActivityEvent, CallerContext, Match } from './model';

/** Whether the customer denied showing their web activity to agents for personalisation. */
export function activityDenied(match: Match): boolean {
  return match.profile.consent?.personalisation === 'denied';
}

/**
 * The context as the sidebar may see it: the web activity of a customer who denied
 * personalisation is removed here, in the background, and only counted, so it never reaches
 * an extension page.
 */
export function withholdUnconsented(context: CallerContext): CallerContext {
  if (!context.matches.some((m) => activityDenied(m) && m.activity.length > 0)) return context;
  return { ...context, matches: context.matches.map((m) => withholdActivity(m, m.activity)) };
}

/** Counts `events` as withheld when the match's consent forbids them; else the match unchanged. */
export function withholdActivity(match: Match, events: readonly ActivityEvent[]): Match {
  if (!activityDenied(match)) return match;
  const known = match.activity === events ? 0 : match.activity.length;
  return {
    ...match,
    activity: [],
    withheldActivity: (match.withheldActivity ?? 0) + known + events.length,
  };
}
