import type { AfterCallEvent } from './after-call';
import { activityDenied } from './consent';
import type { CallerContext, ContactEvent, Match } from './model';

/** The sidebar shows the last few; a history longer than this is the CRM's job. */
export const MAX_CONTACTS = 20;

/**
 * Contacts from several sources as one list, newest first. One call read back from several
 * platforms carries our event id in each, so it is kept once; the copy a platform holds wins over
 * the one logged in this browser (it has the platform's record link).
 */
export function mergeContacts(...lists: readonly (readonly ContactEvent[] | undefined)[]) {
  const byId = new Map<string, ContactEvent>();
  for (const contact of lists.flatMap((list) => list ?? [])) {
    const known = byId.get(contact.id);
    if (!known || (known.local && !contact.local)) byId.set(contact.id, contact);
  }
  return [...byId.values()]
    .sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0))
    .slice(0, MAX_CONTACTS);
}

/** A call logged in this browser, as the contact it will be once a platform has it. */
export function contactFromAfterCall(event: AfterCallEvent): ContactEvent {
  const contact: ContactEvent = {
    id: event.id,
    at: event.endedAt ?? event.loggedAt,
    channel: 'call',
    direction: 'inbound',
    disposition: event.disposition.label,
    durationSeconds: event.talkSeconds,
    source: event.profile?.source ?? 'local',
    local: true,
  };
  if (event.notes) contact.note = event.notes;
  if (event.caseId) contact.caseId = event.caseId;
  return contact;
}

/**
 * Adds calls logged in this browser to the matches they belong to: the match whose profile the
 * call was logged against (or that merged it in), else, for a call logged against no profile or
 * one no match holds, every match of the number the call came from.
 */
export function withLoggedCalls(
  context: CallerContext,
  logged: readonly AfterCallEvent[],
): CallerContext {
  if (logged.length === 0 || context.matches.length === 0) return context;
  const holds = (match: Match, profile: { id: string; source: string }) =>
    (match.profile.id === profile.id && match.profile.source === profile.source) ||
    (match.profile.alsoIn ?? []).some((p) => p.id === profile.id && p.source === profile.source);
  const sameNumber = (event: AfterCallEvent) =>
    event.identity?.namespace === context.identity.namespace &&
    event.identity.value === context.identity.value;
  const matches = context.matches.map((match) => {
    const mine = logged.filter((event) => {
      const profile = event.profile;
      if (profile && context.matches.some((m) => holds(m, profile))) return holds(match, profile);
      return sameNumber(event);
    });
    if (mine.length === 0) return match;
    return { ...match, contacts: mergeContacts(match.contacts, mine.map(contactFromAfterCall)) };
  });
  return { ...context, matches };
}

/**
 * Consent rules as for web activity (shared/consent.ts): a customer who denied personalisation
 * has their contacts counted, never shown.
 */
export function withholdUnconsentedContacts(context: CallerContext): CallerContext {
  const denied = (m: Match) => activityDenied(m) && (m.contacts?.length ?? 0) > 0;
  if (!context.matches.some(denied)) return context;
  return {
    ...context,
    matches: context.matches.map((match) => {
      if (!denied(match)) return match;
      const { contacts = [], ...rest } = match;
      return { ...rest, withheldContacts: (match.withheldContacts ?? 0) + contacts.length };
    }),
  };
}
