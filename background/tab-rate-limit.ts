/**
 * Per-tab budgets for what content scripts may make the background do. A page that flashes a
 * thousand numbers gets a few sightings and fewer lookups, not a thousand of each.
 *
 * Kept in memory on purpose: a worker restart resets the budgets, which only ever lets a tab
 * do a little more, never loses a call, and avoids a storage write per message.
 */
export interface RateLimits {
  /** Sightings a tab may report per window. */
  sightings: number;
  /** New calls (each one a gateway lookup) a tab may start per window. */
  newCalls: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { sightings: 30, newCalls: 6, windowMs: 60_000 };

export function createTabRateLimit(
  limits: RateLimits = DEFAULT_RATE_LIMITS,
  now = () => Date.now(),
) {
  const spent = new Map<number, { since: number; sightings: number; newCalls: number }>();
  const budget = (tabId: number) => {
    const at = now();
    let entry = spent.get(tabId);
    if (!entry || at - entry.since >= limits.windowMs) {
      entry = { since: at, sightings: 0, newCalls: 0 };
      spent.set(tabId, entry);
    }
    // Forget tabs that went quiet, so the map stays as small as the set of busy tabs.
    if (spent.size > 200)
      for (const [id, e] of spent) if (at - e.since >= limits.windowMs) spent.delete(id);
    return entry;
  };
  return {
    /** Counts one sighting; false when the tab has used up its budget. */
    allowSighting(tabId: number): boolean {
      const entry = budget(tabId);
      if (entry.sightings >= limits.sightings) return false;
      entry.sightings += 1;
      return true;
    },
    /** Whether the tab may start another call now (checked before a new session is made). */
    canStartCall(tabId: number): boolean {
      return budget(tabId).newCalls < limits.newCalls;
    },
    startedCall(tabId: number): void {
      budget(tabId).newCalls += 1;
    },
  };
}

export type TabRateLimit = ReturnType<typeof createTabRateLimit>;
