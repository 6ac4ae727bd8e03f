import type { IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { CallerSighting, CallSession, CallState, Lookup } from '../shared/call';
import { normalizeEmail, normalizePhone } from '../shared/identity';
import type { Identity } from '../shared/model';
import type { CallerContextDB, Database } from './db';

const ORDER: Record<CallState, number> = { ringing: 0, connected: 1, ended: 2, wrapped_up: 3 };
/** A call still "ringing" after this long was never answered on any tab we saw. */
export const RING_LIMIT_MS = 5 * 60_000;
/** How far back calls count as recent: joined by new sightings, shown until wrapped up. */
export const RECENT_CALLS_MS = 4 * 3600_000;

export interface SightingResult {
  session: CallSession;
  /** A new call: the caller must be looked up. */
  isNew: boolean;
  /** Anything the sidebar shows changed. */
  changed: boolean;
}

/**
 * The writes on the screen pop's path (a sighting, a lookup's result) commit once the system has
 * the data, without waiting for the disk to confirm it: a flush costs milliseconds on a busy
 * agent's machine, and what they write is shown at once and rebuilt by the next sighting or
 * lookup should the machine itself crash. The outbox, which holds what the agent wrote, keeps
 * strict commits (background/outbox.ts).
 */
const SCREEN_POP_WRITE: IDBTransactionOptions = { durability: 'relaxed' };

/** The stores a sighting's transaction spans when it may read what a new call's lookup knows. */
const KNOWN_LOOKUP_STORES: ['calls', 'contextCache', 'outbox'] = [
  'calls',
  'contextCache',
  'outbox',
];

/** A sighting's transaction with the stores a `KnownLookup` reads. */
export type SightingTransaction = IDBPTransaction<
  CallerContextDB,
  ['calls', 'contextCache', 'outbox'],
  'readwrite'
>;

/**
 * What a new call's lookup already knows (a fresh cached context: background/caller-service.ts),
 * read in the transaction of the sighting that may start the call, beside its read of the calls,
 * with nothing but IndexedDB requests (anything else would end the transaction). The new call
 * starts with that lookup, so a warm screen pop is one transaction and one broadcast; undefined
 * starts it pending, to be looked up. Read only for a sighting that may start a call.
 */
export type KnownLookup = (
  tx: SightingTransaction,
  identity: Identity,
) => Promise<{ lookup: Lookup; verbalConsentRequired?: boolean } | undefined>;

export interface CallSessionsDeps {
  db: Database;
  now?: () => Date;
  newId?: () => string;
}

/** Reads what a page shows into an identity: an email address, or a phone number in E.164. */
export function identityFromRaw(
  raw: string,
  defaultRegion: string,
): { identity: Identity } | { problem: string } {
  if (raw.includes('@')) {
    const email = normalizeEmail(raw);
    return email.ok
      ? { identity: { namespace: 'email', value: email.value } }
      : { problem: email.error };
  }
  const phone = normalizePhone(raw, defaultRegion);
  return phone.ok
    ? { identity: { namespace: 'phone', value: phone.value } }
    : { problem: phone.error };
}

/**
 * Call sessions from ring to wrap-up, kept in IndexedDB so that a worker restart loses nothing.
 * The same call seen by several tabs is one session: a sighting joins the active session of the
 * same caller (or the same platform call id) instead of starting another.
 */
export function createCallSessions({
  db,
  now = () => new Date(),
  newId = () => crypto.randomUUID(),
}: CallSessionsDeps) {
  const sessions = {
    /** Applies a detector's sighting; null when it says nothing new (an end of an unknown call). */
    async sight(
      sighting: CallerSighting,
      tabId: number | undefined,
      defaultRegion: string,
      /** False when the reporting tab may not start another call now (its budget is spent). */
      mayStartCall = true,
    ): Promise<SightingResult | null> {
      return (await sessions.sightReadingPrimary(sighting, tabId, defaultRegion, mayStartCall))
        .result;
    },

    /**
     * `sight`, and the primary call after it (what `current()` answers), from the calls the
     * sighting read in its own transaction: the screen pop's broadcast needs no second read.
     */
    async sightReadingPrimary(
      sighting: CallerSighting,
      tabId: number | undefined,
      defaultRegion: string,
      mayStartCall = true,
      /** What a new call's lookup already knows, read in this transaction (`KnownLookup`). */
      known?: KnownLookup,
    ): Promise<{ result: SightingResult | null; primary: CallSession | null }> {
      const { result, primary, committed } = await sessions.sightWriting(
        sighting,
        tabId,
        defaultRegion,
        mayStartCall,
        known,
      );
      await committed;
      return { result, primary };
    },

    /**
     * `sightReadingPrimary`, answered once its reads are in and its write is queued, before the
     * commit: the write's outcome is `committed`, which rejects when the transaction fails (then
     * nothing of the sighting was written). The commit costs the screen pop milliseconds on a busy
     * machine and cannot change what the sighting decided. Anything read after this answer, in
     * any transaction of this database, sees the write or its failure (IndexedDB runs
     * transactions on the same store in the order they were made), so the pages may be told at
     * once (background/call-state.ts).
     */
    async sightWriting(
      sighting: CallerSighting,
      tabId: number | undefined,
      defaultRegion: string,
      mayStartCall = true,
      known?: KnownLookup,
    ): Promise<{
      result: SightingResult | null;
      primary: CallSession | null;
      committed: Promise<void>;
    }> {
      const at = now();
      const read = identityFromRaw(sighting.raw, defaultRegion);
      const identity = 'identity' in read ? read.identity : null;
      // One transaction: two tabs reporting the same call at once see each other's write.
      const tx: IDBPTransaction<CallerContextDB, StoreNames<CallerContextDB>[], 'readwrite'> = known
        ? db.transaction(KNOWN_LOOKUP_STORES, 'readwrite', SCREEN_POP_WRITE)
        : db.transaction(['calls'], 'readwrite', SCREEN_POP_WRITE);
      const store = tx.objectStore('calls');
      // Read beside the calls, in case the sighting starts one; awaited before the answer. A
      // failed read undoes the whole sighting (nothing is written): its caller may try again
      // without it.
      let knownError: unknown;
      const knownRead =
        known && identity && mayStartCall && sighting.state !== 'ended'
          ? known(tx as SightingTransaction, identity).catch((error: unknown) => {
              knownError = error;
              abortQuietly(tx);
              throw error;
            })
          : undefined;
      knownRead?.catch(() => {});
      // The read's own failure, not the aborted requests it left behind.
      const committed = tx.done.catch((error: unknown) => {
        throw knownError ?? error;
      });
      // Awaited by the caller once told; a failure before then is thrown from here.
      committed.catch(() => {});
      try {
        const since = iso(at.getTime() - RECENT_CALLS_MS);
        // The reads go out together: the same-call search needs the candidates only for a ring.
        const openRead = primaryCandidatesIn(store, since);
        // Awaited below; a failure of the search first must not leave it unheard.
        openRead.catch(() => {});
        const same = await sameCallIn(store, openRead, sighting, identity, at, since);
        const open = await openRead;
        let result: SightingResult | null;
        let after = open;
        let written: Promise<unknown> | undefined;
        if (same) {
          const advanced = advance(same, sighting.state, at);
          if (advanced !== same) written = store.put(advanced);
          result = { session: advanced, isNew: false, changed: advanced !== same };
          after = open.map((s) => (s.id === advanced.id ? advanced : s));
        } else if (sighting.state === 'ended' || !mayStartCall) {
          result = null;
        } else {
          const start = await knownRead;
          const session: CallSession = {
            id: newId(),
            rawNumber: sighting.raw,
            identity,
            ...('problem' in read ? { problem: read.problem } : {}),
            state: sighting.state,
            detector: sighting.detector,
            ...(tabId !== undefined ? { tabId } : {}),
            ...(sighting.callId ? { callId: sighting.callId } : {}),
            ringingAt: iso(at.getTime()),
            ...(sighting.state === 'connected' ? { connectedAt: iso(at.getTime()) } : {}),
            updatedAt: iso(at.getTime()),
            lookup:
              'problem' in read
                ? {
                    status: 'failed',
                    message: read.problem,
                    problem: {
                      code: 'numberUnreadable',
                      params: { raw: sighting.raw.slice(0, 64) },
                    },
                  }
                : (start?.lookup ?? { status: 'pending' }),
            ...(start?.verbalConsentRequired ? { verbalConsent: { state: 'required' } } : {}),
          };
          written = store.put(session);
          result = { session, isNew: true, changed: true };
          after = [...open, session];
        }
        // A failed put fails the transaction: `committed` tells.
        written?.catch(() => {});
        await knownRead;
        return { result, primary: primaryOf(after, at), committed };
      } catch (error) {
        abortQuietly(tx);
        throw knownError ?? error;
      }
    },

    /**
     * The call the sidebar shows (the primary call). A call the agent is on stays primary when
     * another one rings meanwhile (that one is waiting, see `waiting()`): the agent is talking to
     * that customer. Otherwise a ringing call comes first, then the newest ended call that is not
     * wrapped up yet. Among equals, the newest wins.
     */
    async current(): Promise<CallSession | null> {
      return (await open(db, now()))[0] ?? null;
    },

    /** Calls ringing while the primary call goes on, newest first (the sidebar shows them as waiting). */
    async waiting(): Promise<CallSession[]> {
      const [primary, ...others] = await open(db, now());
      return primary ? others.filter((s) => s.state === 'ringing') : [];
    },

    /** The agent finished the call's after-call work: it leaves the sidebar. */
    async wrapUp(id: string): Promise<CallSession | undefined> {
      const tx = db.transaction('calls', 'readwrite');
      const session = await tx.store.get(id);
      let updated: CallSession | undefined;
      if (session && session.state !== 'wrapped_up') {
        const time = now().toISOString();
        updated = {
          ...session,
          state: 'wrapped_up',
          wrappedUpAt: time,
          updatedAt: time,
          ...(session.endedAt ? {} : { endedAt: time }),
          ...(session.state === 'ringing' ? { missed: true } : {}),
        };
        await tx.store.put(updated);
      }
      await tx.done;
      return updated;
    },

    /**
     * Wraps up a logged call inside the outbox's transaction (background/call-state.ts, `logCall`).
     * When it was wrapped up starts the retention clock of its data (background/retention.ts).
     */
    async wrappedUpIn(
      calls: {
        get(id: string): Promise<CallSession | undefined>;
        put(value: CallSession): Promise<unknown>;
      },
      id: string,
    ): Promise<void> {
      const call = await calls.get(id);
      if (!call || call.state === 'wrapped_up') return;
      const time = now().toISOString();
      await calls.put({ ...call, state: 'wrapped_up', wrappedUpAt: time, updatedAt: time });
    },

    async get(id: string): Promise<CallSession | undefined> {
      return db.get('calls', id);
    },

    /** The newest calls, whatever their state (the options page shows what detectors saw). */
    async recent(limit: number): Promise<CallSession[]> {
      const found: CallSession[] = [];
      let cursor = await db
        .transaction('calls')
        .store.index('byRingingAt')
        .openCursor(null, 'prev');
      while (cursor && found.length < limit) {
        found.push(cursor.value);
        cursor = await cursor.continue();
      }
      return found;
    },

    async setLookup(
      id: string,
      lookup: Lookup,
      options: {
        /**
         * The config asks an anonymous caller's permission: marks it required unless the agent
         * already recorded an answer. In the same write, so no crash leaves the call ungated.
         */
        verbalConsentRequired?: boolean;
      } = {},
    ): Promise<CallSession | undefined> {
      return (await sessions.setLookupReadingPrimary(id, lookup, options)).session;
    },

    /** `setLookup`, and the primary call after it, read in the same transaction. */
    async setLookupReadingPrimary(
      id: string,
      lookup: Lookup,
      options: { verbalConsentRequired?: boolean } = {},
    ): Promise<{ session: CallSession | undefined; primary: CallSession | null }> {
      const at = now();
      const tx = db.transaction('calls', 'readwrite', SCREEN_POP_WRITE);
      const openRead = primaryCandidatesIn(tx.store, iso(at.getTime() - RECENT_CALLS_MS));
      const session = await tx.store.get(id);
      if (session) {
        session.lookup = lookup;
        session.updatedAt = at.toISOString();
        if (options.verbalConsentRequired && !session.verbalConsent)
          session.verbalConsent = { state: 'required' };
        await tx.store.put(session);
      }
      const open = await openRead;
      await tx.done;
      const after = session ? open.map((s) => (s.id === session.id ? session : s)) : open;
      return { session, primary: primaryOf(after, at) };
    },

    /**
     * Keeps the caller's spoken answer with the time it was recorded. Only a call that awaits one
     * takes it; the answer then stands for the call. `changed` is false when nothing was written.
     */
    async recordVerbalConsent(
      id: string,
      given: boolean,
    ): Promise<{ session: CallSession | undefined; changed: boolean }> {
      const tx = db.transaction('calls', 'readwrite');
      const session = await tx.store.get(id);
      let changed = false;
      if (session?.verbalConsent?.state === 'required') {
        const time = now().toISOString();
        session.verbalConsent = { state: given ? 'given' : 'declined', at: time };
        session.updatedAt = time;
        await tx.store.put(session);
        changed = true;
      }
      await tx.done;
      return { session, changed };
    },

    /**
     * The agent picked one of several matching customers. Kept only when the call's lookup has
     * several matches and one of them has that profile id; a new lookup may forget it.
     */
    async pickMatch(id: string, profileId: string): Promise<CallSession | undefined> {
      const tx = db.transaction('calls', 'readwrite');
      const session = await tx.store.get(id);
      const matches = session?.lookup.status === 'done' ? session.lookup.context.matches : [];
      const known = matches.length > 1 && matches.some((m) => m.profile.id === profileId);
      if (session && known && session.pickedProfileId !== profileId) {
        session.pickedProfileId = profileId;
        session.updatedAt = now().toISOString();
        await tx.store.put(session);
      }
      await tx.done;
      return known ? session : undefined;
    },
  };
  return sessions;
}

export type CallSessions = ReturnType<typeof createCallSessions>;

const PRIMARY_RANK: Record<CallState, number> = {
  connected: 0,
  ringing: 1,
  ended: 2,
  wrapped_up: 3,
};

/**
 * Calls not wrapped up from the last few hours, the primary one first, then the calls that may be
 * waiting (an older ended call may be left out: it is neither). A ring nobody answered within the
 * ring limit counts as ended (missed) here, though no tab said so.
 */
async function open(db: Database, at: Date): Promise<CallSession[]> {
  const store = db.transaction('calls').store;
  return openOf(await primaryCandidatesIn(store, iso(at.getTime() - RECENT_CALLS_MS)), at);
}

/** The `calls` store in a transaction of either mode. */
type CallsStore = IDBPObjectStore<
  CallerContextDB,
  ArrayLike<StoreNames<CallerContextDB>>,
  'calls',
  IDBTransactionMode
>;

/**
 * What the primary call and the waiting calls are chosen from (`openOf`), among the calls that
 * rang since `since`: every connected and every ringing call (ringing ones may have gone stale,
 * and then rank as ended), and the newest ended call (all of them if several rang at the same
 * instant). An older ended call can never rank first, so it is not read: an agent's ended calls
 * pile up until wrapped up, each with its whole context. Read through the `byState` index, in the
 * order of `byRingingAt`.
 */
async function primaryCandidatesIn(store: CallsStore, since: string): Promise<CallSession[]> {
  const index = store.index('byState');
  const range = (state: CallState) => IDBKeyRange.bound([state, since], [state, []]);
  const newestEnded = async (): Promise<CallSession[]> => {
    const newest = await index.openKeyCursor(range('ended'), 'prev');
    return newest ? index.getAll(IDBKeyRange.only(newest.key)) : [];
  };
  const found = await Promise.all([
    index.getAll(range('connected')),
    index.getAll(range('ringing')),
    newestEnded(),
  ]);
  return found.flat().sort(byRingingAt);
}

/**
 * The newest call since `since` that the sighting belongs to (`isSameCall`), or undefined.
 *
 * - A call with the sighting's platform call id, whatever its state, is read through `byCallId`.
 * - Otherwise only a call of the same caller can be it. For a ring, that is a call still ringing
 *   or on (a caller ringing again after their call ended starts a new one): those are among
 *   `candidates`, already read. For another state, any call of theirs can be, a wrapped-up one too
 *   (a late "connected" must never start a new call): read newest first through `byIdentity`, or
 *   `byRawNumber` when the number has no identity, up to the first that is.
 *
 * The newer of the two wins, as when every call of the last hours was read.
 */
async function sameCallIn(
  store: CallsStore,
  candidates: Promise<CallSession[]>,
  sighting: CallerSighting,
  identity: Identity | null,
  at: Date,
  since: string,
): Promise<CallSession | undefined> {
  const isIt = (session: CallSession) => isSameCall(session, sighting, identity, at);
  const newestMatch = async (
    index: 'byCallId' | 'byIdentity' | 'byRawNumber',
    prefix: string[],
  ): Promise<CallSession | undefined> => {
    const range = IDBKeyRange.bound([...prefix, since], [...prefix, []]);
    let cursor = await store.index(index).openCursor(range, 'prev');
    while (cursor) {
      if (isIt(cursor.value)) return cursor.value;
      cursor = await cursor.continue();
    }
    return undefined;
  };
  const callerMatch = async (): Promise<CallSession | undefined> => {
    if (sighting.state === 'ringing')
      return (await candidates)
        .filter((s) => s.state === 'ringing' || s.state === 'connected')
        .findLast(isIt);
    return identity
      ? newestMatch('byIdentity', [identity.namespace, identity.value])
      : newestMatch('byRawNumber', [sighting.raw]);
  };
  const [byCallId, byCaller] = await Promise.all([
    sighting.callId ? newestMatch('byCallId', [sighting.callId]) : undefined,
    callerMatch(),
  ]);
  if (!byCallId || !byCaller) return byCallId ?? byCaller;
  return byRingingAt(byCallId, byCaller) >= 0 ? byCallId : byCaller;
}

/** The order of the `byRingingAt` index: by when the call rang, then by id. */
function byRingingAt(a: CallSession, b: CallSession): number {
  return compare(a.ringingAt, b.ringingAt) || compare(a.id, b.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The primary call among calls already read (`current()` without a read of its own). */
function primaryOf(recent: CallSession[], at: Date): CallSession | null {
  return openOf(recent, at)[0] ?? null;
}

function openOf(recent: CallSession[], at: Date): CallSession[] {
  return recent
    .filter((s) => s.state !== 'wrapped_up')
    .map((s) => (isStaleRing(s, at) ? { ...s, state: 'ended' as const, missed: true } : s))
    .sort(
      (a, b) =>
        PRIMARY_RANK[a.state] - PRIMARY_RANK[b.state] || b.ringingAt.localeCompare(a.ringingAt),
    );
}

function isStaleRing(session: CallSession, at: Date): boolean {
  return (
    session.state === 'ringing' && at.getTime() - Date.parse(session.updatedAt) > RING_LIMIT_MS
  );
}

function isSameCall(
  session: CallSession,
  sighting: CallerSighting,
  identity: Identity | null,
  at: Date,
): boolean {
  if (sighting.callId && session.callId) return sighting.callId === session.callId;
  const sameCaller = identity
    ? session.identity?.namespace === identity.namespace &&
      session.identity.value === identity.value
    : session.identity === null && session.rawNumber === sighting.raw;
  if (!sameCaller) return false;
  if (session.state === 'ringing' && at.getTime() - Date.parse(session.ringingAt) > RING_LIMIT_MS)
    return false;
  // A new ring from a caller whose last call has ended is a new call.
  return !(sighting.state === 'ringing' && ORDER[session.state] >= ORDER.ended);
}

/** Moves a session forward; a call never goes back from connected to ringing. */
function advance(session: CallSession, state: CallSession['state'], at: Date): CallSession {
  if (ORDER[state] <= ORDER[session.state]) return session;
  const time = iso(at.getTime());
  return {
    ...session,
    state,
    updatedAt: time,
    ...(state === 'connected' ? { connectedAt: time } : {}),
    ...(state === 'ended' ? { endedAt: time } : {}),
    // Rang, then gone without being answered: the caller hung up or went to another agent.
    ...(state === 'ended' && session.state === 'ringing' ? { missed: true } : {}),
  };
}

/** Aborts a transaction that may have ended already; its `done` then rejects, as expected. */
function abortQuietly(tx: { abort(): void; done: Promise<void> }): void {
  tx.done.catch(() => {});
  try {
    tx.abort();
  } catch {
    // Aborted or finished already: nothing of it is left to undo.
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
