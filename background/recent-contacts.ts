import type { AfterCallEvent } from '../shared/after-call';
import { withholdUnconsentedContacts, withLoggedCalls } from '../shared/contact-history';
import type { CallerContext } from '../shared/model';
import type { Database } from './db';
import type { OutboxEntry } from './outbox-entry';

/**
 * Calls logged in this browser this far back join the contact history from the outbox (which
 * keeps delivered events 7 days), so a call logged a minute ago shows before any platform has
 * ingested it. Older calls come from the platforms alone.
 */
export const LOCAL_HISTORY_MS = 7 * 24 * 3600_000;

/** The outbox's indexes as `loggedCallsIn` reads them, in a transaction of any scope or mode. */
export interface OutboxIndexes {
  index(name: 'byIdentity' | 'byProfile'): {
    getAll(key: [string, string]): Promise<OutboxEntry[]>;
  };
}

/**
 * The after-call events this browser logged recently that `withLoggedCalls` can join to this
 * context: those logged from the caller's number, and those logged against a profile one of the
 * matches holds. Read through the outbox's indexes (background/db.ts), not by reading every event
 * of the week; in the order of their ids, as a read of the whole store gives.
 */
export async function loggedCallsIn(
  outbox: OutboxIndexes,
  context: CallerContext,
  now: Date,
): Promise<AfterCallEvent[]> {
  // Without a match nothing is joined (shared/contact-history.ts): nothing to read.
  if (context.matches.length === 0) return [];
  const since = now.getTime() - LOCAL_HISTORY_MS;
  const profiles = new Map<string, [string, string]>();
  for (const match of context.matches)
    for (const p of [match.profile, ...(match.profile.alsoIn ?? [])])
      profiles.set(`${p.source}:${p.id}`, [p.source, p.id]);
  const found = await Promise.all([
    outbox.index('byIdentity').getAll([context.identity.namespace, context.identity.value]),
    ...[...profiles.values()].map((key) => outbox.index('byProfile').getAll(key)),
  ]);
  const byId = new Map<string, OutboxEntry>();
  for (const entry of found.flat()) if (entry.createdAt >= since) byId.set(entry.id, entry);
  return [...byId.values()]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((entry) => entry.event);
}

/** `loggedCallsIn`, in a transaction of its own. */
export async function recentlyLoggedCalls(
  db: Database | Promise<Database>,
  context: CallerContext,
  now: Date,
): Promise<AfterCallEvent[]> {
  if (context.matches.length === 0) return [];
  return loggedCallsIn((await db).transaction('outbox').store, context, now);
}

/**
 * The context with `calls` (this browser's logged calls, `loggedCallsIn`) in its matches' contact
 * history, and consent applied to the whole history as to web activity (shared/contact-history.ts).
 */
export function joinLoggedCalls(context: CallerContext, calls: AfterCallEvent[]): CallerContext {
  return withholdUnconsentedContacts(withLoggedCalls(context, calls));
}

/**
 * The context with this browser's logged calls joined (`joinLoggedCalls`), read once the lookup
 * has answered, through indexes by its number and its matches' profiles.
 */
export async function withRecentContacts(
  lookup: Promise<CallerContext>,
  db: Database | Promise<Database>,
  now: Date,
): Promise<CallerContext> {
  const context = await lookup;
  const calls = await recentlyLoggedCalls(db, context, now).catch(
    (error: unknown): AfterCallEvent[] => {
      // The history is a help, never a reason to fail the lookup.
      console.error('Caller Context: could not read the logged calls', error);
      return [];
    },
  );
  return joinLoggedCalls(context, calls);
}
