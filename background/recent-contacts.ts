import type { AfterCallEvent } from '../shared/after-call';
import { withholdUnconsentedContacts, withLoggedCalls } from '../shared/contact-history';
import type { CallerContext } from '../shared/model';
import type { Database } from './db';

/**
 * Calls logged in this browser this far back join the contact history from the outbox (which
 * keeps delivered events 7 days), so a call logged a minute ago shows before any platform has
 * ingested it. Older calls come from the platforms alone.
 */
export const LOCAL_HISTORY_MS = 7 * 24 * 3600_000;

/** The after-call events this browser logged recently, whatever their delivery state. */
export async function recentlyLoggedCalls(
  db: Database | Promise<Database>,
  now: Date,
): Promise<AfterCallEvent[]> {
  const since = now.getTime() - LOCAL_HISTORY_MS;
  const entries = await (await db).getAll('outbox');
  return entries.filter((entry) => entry.createdAt >= since).map((entry) => entry.event);
}

/**
 * The context with this browser's logged calls in its matches' contact history, and consent
 * applied to the whole history as to web activity (shared/contact-history.ts). The outbox is read
 * while the lookup runs, so the history costs the screen pop no wait.
 */
export async function withRecentContacts(
  lookup: Promise<CallerContext>,
  db: Database | Promise<Database>,
  now: Date,
): Promise<CallerContext> {
  const logged = recentlyLoggedCalls(db, now).catch((error: unknown): AfterCallEvent[] => {
    // The history is a help, never a reason to fail the lookup.
    console.error('Caller Context: could not read the logged calls', error);
    return [];
  });
  const [context, calls] = await Promise.all([lookup, logged]);
  return withholdUnconsentedContacts(withLoggedCalls(context, calls));
}
