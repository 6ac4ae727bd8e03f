import type { CallerSighting, CallSession, CallState, Lookup } from '../shared/call';
import { normalizeEmail, normalizePhone } from '../shared/identity';
import type { Identity } from '../shared/model';
import type { Database } from './db';

const ORDER: Record<CallState, number> = { ringing: 0, connected: 1, ended: 2, wrapped_up: 3 };
/** A call still "ringing" after this long was never answered on any tab we saw. */
const RING_LIMIT_MS = 5 * 60_000;

export interface SightingResult {
  session: CallSession;
  /** A new call: the caller must be looked up. */
  isNew: boolean;
  /** Anything the sidebar shows changed. */
  changed: boolean;
}

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
  return {
    /** Applies a detector's sighting; null when it says nothing new (an end of an unknown call). */
    async sight(
      sighting: CallerSighting,
      tabId: number | undefined,
      defaultRegion: string,
    ): Promise<SightingResult | null> {
      const at = now();
      const read = identityFromRaw(sighting.raw, defaultRegion);
      const identity = 'identity' in read ? read.identity : null;
      // One transaction: two tabs reporting the same call at once see each other's write.
      const tx = db.transaction('calls', 'readwrite');
      const recent = await tx.store
        .index('byRingingAt')
        .getAll(IDBKeyRange.lowerBound(iso(at.getTime() - 4 * 3600_000)));
      const same = recent.reverse().find((s) => isSameCall(s, sighting, identity, at));
      let result: SightingResult | null;
      if (same) {
        const advanced = advance(same, sighting.state, at);
        if (advanced !== same) await tx.store.put(advanced);
        result = { session: advanced, isNew: false, changed: advanced !== same };
      } else if (sighting.state === 'ended') {
        result = null;
      } else {
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
            'problem' in read ? { status: 'failed', message: read.problem } : { status: 'pending' },
        };
        await tx.store.put(session);
        result = { session, isNew: true, changed: true };
      }
      await tx.done;
      return result;
    },

    /** The call the sidebar shows: the newest one that is not wrapped up. */
    async current(): Promise<CallSession | null> {
      let cursor = await db
        .transaction('calls')
        .store.index('byRingingAt')
        .openCursor(null, 'prev');
      while (cursor) {
        if (cursor.value.state !== 'wrapped_up') return cursor.value;
        cursor = await cursor.continue();
      }
      return null;
    },

    async get(id: string): Promise<CallSession | undefined> {
      return db.get('calls', id);
    },

    async setLookup(id: string, lookup: Lookup): Promise<CallSession | undefined> {
      const tx = db.transaction('calls', 'readwrite');
      const session = await tx.store.get(id);
      if (session) {
        session.lookup = lookup;
        session.updatedAt = now().toISOString();
        await tx.store.put(session);
      }
      await tx.done;
      return session;
    },
  };
}

export type CallSessions = ReturnType<typeof createCallSessions>;

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
  };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
