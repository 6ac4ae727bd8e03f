import type { AuditEntry } from '../shared/audit';
import type { Database } from './db';

export interface AuditLogOptions {
  db: Promise<Database>;
  now?: () => Date;
  /** Entries older than this are deleted (default 90 days). */
  maxAgeDays?: number;
  /** At most this many entries are kept, the oldest go first (default 5,000). */
  maxEntries?: number;
}

/**
 * The local audit list of lookups, in IndexedDB (store `audit`), bounded in age and size so it
 * never grows without end. "Clear my local data" empties it with the other stores.
 */
export function createAuditLog(options: AuditLogOptions) {
  const now = options.now ?? (() => new Date());
  const maxAgeMs = (options.maxAgeDays ?? 90) * 86_400_000;
  const maxEntries = options.maxEntries ?? 5000;

  return {
    async record(entry: Omit<AuditEntry, 'id' | 'at'>): Promise<void> {
      const db = await options.db;
      const at = now();
      const tx = db.transaction('audit', 'readwrite');
      const store = tx.store;
      await store.add({ ...entry, at: at.toISOString() });
      // Older than the limit: gone (ISO strings sort as times do).
      const cutoff = new Date(at.getTime() - maxAgeMs).toISOString();
      let cursor = await store.index('byAt').openCursor(IDBKeyRange.upperBound(cutoff, true));
      while (cursor) {
        await cursor.delete();
        cursor = await cursor.continue();
      }
      // Too many: the oldest go.
      let excess = (await store.count()) - maxEntries;
      cursor = excess > 0 ? await store.index('byAt').openCursor() : null;
      while (cursor && excess > 0) {
        await cursor.delete();
        excess -= 1;
        cursor = await cursor.continue();
      }
      await tx.done;
    },

    /** Newest first. */
    async list(limit = 500): Promise<AuditEntry[]> {
      const db = await options.db;
      const entries: AuditEntry[] = [];
      let cursor = await db.transaction('audit').store.index('byAt').openCursor(null, 'prev');
      while (cursor && entries.length < limit) {
        entries.push(cursor.value);
        cursor = await cursor.continue();
      }
      return entries;
    },
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
