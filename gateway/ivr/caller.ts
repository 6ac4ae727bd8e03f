import { normalizeEmail } from '../../shared/identity';
import { type Insight, readInsights } from '../../shared/insights';
import type { ActivityEvent, CallerContext, Case, Match, Profile } from '../../shared/model';

/** An insight (shared/insights.ts) without the ids of the events it rests on. */
export type IvrIntent = Insight extends infer Each
  ? Each extends Insight
    ? Omit<Each, 'events'>
    : never
  : never;

/** One customer, as the IVR speaks of them: the matches of several sources that are one person. */
export interface IvrCaller {
  firstName: string | null;
  displayName: string | null;
  language: string | null;
  /** Newest first. */
  cases: Case[];
  owner: Profile['owner'] | null;
  /** The profiles that make up this customer (for manager choices made on any of them). */
  profiles: { source: string; id: string }[];
  /** The customer denied personalisation in some source: no web activity is read. */
  activityDenied: boolean;
  activity: ActivityEvent[];
}

export interface ReadCallers {
  /** Customers the sources know for the number (several: a shared family phone). */
  count: number;
  /** The one customer, when exactly one is known. */
  caller: IvrCaller | null;
}

/**
 * Reads who is calling. Matches of different sources that share an email or phone number are one
 * person; two profiles of one source are two people (a source knows its own records apart). Where
 * the number is several people's, the IVR greets no one by name.
 */
export function readCallers(context: CallerContext): ReadCallers {
  const people: Match[][] = [];
  for (const match of context.matches) {
    const keys = personKeys(match.profile);
    const same = people.find(
      (group) =>
        !group.some((other) => other.profile.source === match.profile.source) &&
        group.some((other) => personKeys(other.profile).some((key) => keys.includes(key))),
    );
    if (same) same.push(match);
    else people.push([match]);
  }
  const [only] = people;
  return { count: people.length, caller: people.length === 1 && only ? toCaller(only) : null };
}

/** The customer's likely reason to call, from their web activity of the last hour. */
export function callerIntent(caller: IvrCaller, now: Date): IvrIntent | undefined {
  if (caller.activityDenied) return undefined;
  const [insight] = readInsights(caller.activity, now);
  if (!insight) return undefined;
  const { events: _events, ...intent } = insight;
  return intent;
}

function toCaller(matches: Match[]): IvrCaller {
  const first = <T>(read: (profile: Profile) => T | undefined): T | undefined => {
    for (const match of matches) {
      const value = read(match.profile);
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const displayName = first((p) => p.displayName ?? joinName(p));
  const firstName = first((p) => p.firstName) ?? displayName?.split(/\s+/)[0];
  const language = first((p) =>
    typeof p.attributes.language === 'string' ? p.attributes.language : undefined,
  );
  const cases = matches
    .flatMap((match) => match.cases)
    .sort((a, b) => (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0));
  return {
    firstName: firstName ?? null,
    displayName: displayName ?? null,
    language: language ?? null,
    cases,
    owner: first((p) => p.owner ?? undefined) ?? null,
    profiles: matches.map((match) => ({ source: match.profile.source, id: match.profile.id })),
    activityDenied: matches.some((match) => match.profile.consent?.personalisation === 'denied'),
    activity: matches.flatMap((match) => match.activity),
  };
}

function joinName(profile: Profile): string | undefined {
  const parts = [profile.firstName, profile.lastName].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function personKeys(profile: Profile): string[] {
  const emails = (profile.emails ?? []).flatMap((email) => {
    const normal = normalizeEmail(email);
    return normal.ok ? [`email:${normal.value}`] : [];
  });
  const phones = (profile.phones ?? []).map((phone) => `phone:${phone.replace(/[^\d+]/g, '')}`);
  return [...emails, ...phones];
}
