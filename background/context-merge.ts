import { mergeContacts } from '../shared/contact-history';
import { normalizeEmail, normalizePhone } from '../shared/identity';
import type { ActivityEvent, Case, ConsentState, Match, Profile } from '../shared/model';

/**
 * Matches from several sources that are the same person (the same profile id, or a shared email
 * or phone number) become one match: the first source's fields lead, the others fill gaps, and
 * activity and cases are joined newest first. A "denied" consent anywhere stays denied.
 *
 * A source that returns two profiles knows they are two people (a family sharing a phone), so
 * matches of one source are never joined, and a key that one source holds for several of its
 * profiles proves nothing.
 */
export function mergeMatches(matches: readonly Match[], defaultRegion?: string): Match[] {
  const parent = matches.map((_, i) => i);
  const sources = matches.map((match) => new Set([match.profile.source]));
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    return root;
  };
  const join = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    const [sa, sb] = [sources[ra] as Set<string>, sources[rb] as Set<string>];
    if ([...sb].some((source) => sa.has(source))) return;
    parent[rb] = ra;
    for (const source of sb) sa.add(source);
  };
  const holders = new Map<string, number[]>();
  matches.forEach((match, i) => {
    for (const key of personKeys(match.profile, defaultRegion))
      holders.set(key, [...(holders.get(key) ?? []), i]);
  });
  for (const [key, held] of holders) {
    const perSource = new Map<string, number>();
    for (const i of held) {
      const source = matches[i]?.profile.source ?? '';
      perSource.set(source, (perSource.get(source) ?? 0) + 1);
    }
    const ambiguous = !key.startsWith('id:') && [...perSource.values()].some((n) => n > 1);
    if (ambiguous) continue;
    for (const i of held.slice(1)) join(held[0] as number, i);
  }
  const groups = new Map<number, Match[]>();
  matches.forEach((match, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), match]);
  });
  return [...groups.values()].map(mergeGroup);
}

function personKeys(profile: Profile, defaultRegion?: string): string[] {
  const keys = [`id:${profile.id}`];
  for (const email of profile.emails ?? []) {
    const normalized = normalizeEmail(email);
    if (normalized.ok) keys.push(`email:${normalized.value}`);
  }
  for (const phone of profile.phones ?? []) {
    const normalized = normalizePhone(phone, defaultRegion);
    keys.push(`phone:${normalized.ok ? normalized.value : phone.replace(/\D/g, '')}`);
  }
  return keys;
}

function mergeGroup(group: Match[]): Match {
  const [first, ...rest] = group as [Match, ...Match[]];
  if (rest.length === 0) return first;
  const profile: Profile = { ...first.profile, attributes: { ...first.profile.attributes } };
  const alsoIn: { source: string; id: string }[] = [...(first.profile.alsoIn ?? [])];
  for (const { profile: other } of rest) {
    for (const key of ['displayName', 'firstName', 'lastName', 'owner', 'url'] as const)
      if (profile[key] === undefined && other[key] !== undefined)
        Object.assign(profile, { [key]: other[key] });
    profile.emails = union(profile.emails, other.emails);
    profile.phones = union(profile.phones, other.phones);
    profile.attributes = { ...other.attributes, ...profile.attributes };
    profile.consent = mergeConsent(profile.consent, other.consent);
    if (other.updatedAt && (!profile.updatedAt || other.updatedAt > profile.updatedAt))
      profile.updatedAt = other.updatedAt;
    if (other.source !== profile.source || other.id !== profile.id)
      alsoIn.push({ source: other.source, id: other.id });
  }
  for (const key of ['emails', 'phones', 'consent'] as const)
    if (profile[key] === undefined) delete profile[key];
  if (alsoIn.length > 0) profile.alsoIn = alsoIn;
  return {
    profile,
    activity: uniqueNewestFirst(
      group.flatMap((m) => m.activity),
      (e: ActivityEvent) => e.at,
    ),
    cases: uniqueNewestFirst(
      group.flatMap((m) => m.cases),
      (c: Case) => c.createdAt ?? '',
    ),
    ...contactsOf(group),
  };
}

/** The sources' contact histories as one, one call once (shared/contact-history.ts). */
function contactsOf(group: Match[]): Pick<Match, 'contacts' | 'withheldContacts'> {
  const contacts = mergeContacts(...group.map((m) => m.contacts));
  const withheld = group.reduce((sum, m) => sum + (m.withheldContacts ?? 0), 0);
  return {
    ...(contacts.length > 0 ? { contacts } : {}),
    ...(withheld > 0 ? { withheldContacts: withheld } : {}),
  };
}

function union(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a && !b) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

function mergeConsent(
  a: Record<string, ConsentState> | undefined,
  b: Record<string, ConsentState> | undefined,
): Record<string, ConsentState> | undefined {
  if (!a && !b) return undefined;
  const merged: Record<string, ConsentState> = { ...b, ...a };
  for (const [purpose, state] of Object.entries(b ?? {})) {
    if (state === 'denied' || merged[purpose] === 'unknown') merged[purpose] = state;
  }
  return merged;
}

function uniqueNewestFirst<T extends { id: string }>(items: T[], time: (item: T) => string): T[] {
  const seen = new Set<string>();
  const unique = items.filter((item) => !seen.has(item.id) && seen.add(item.id));
  return unique.sort((x, y) => (Date.parse(time(y)) || 0) - (Date.parse(time(x)) || 0));
}
