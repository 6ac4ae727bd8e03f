import type { AfterCallEvent } from '../shared/after-call';
import type { CallerSighting, CallSession, Lookup } from '../shared/call';
import {
  type CallSessions,
  createCallSessions,
  type KnownLookup,
  type SightingResult,
} from './call-sessions';
import type { Database } from './db';
import type { Outbox } from './outbox';

export interface CallStateDeps {
  db: Promise<Database>;
  now?: () => Date;
  newId?: () => string;
  /** Tells the extension's pages which call to show (`callChanged`). */
  broadcast(session: CallSession | null): void;
  /** Follows this call's live activity stream, or stops following (null). */
  follow(callId: string | null): void;
  /**
   * What else follows a change of the primary call (the agent's presence, the retention clock of
   * an ended call), given the primary call. Run after the pages were told, so it never delays what
   * the agent sees.
   */
  afterChange?(primary: CallSession | null): void;
}

/** Whether a call's activity is streamed: looked up and still going. */
function isLive(session: CallSession | null): session is CallSession {
  return (
    session?.lookup.status === 'done' &&
    (session.state === 'ringing' || session.state === 'connected')
  );
}

/**
 * The one owner of call state (docs/architecture.md, "What happens when a call changes"). Every
 * change of a call goes through here: it is stored (background/call-sessions.ts), then published
 * (a sighting while its write commits, see `sight`):
 *
 * - a change of which call is primary or of its state (a sighting, a lookup's result, a wrap-up,
 *   a logged call, a recorded consent, retention deleting data) broadcasts the primary call,
 *   follows its live stream while it is live (stops it otherwise), then tells presence and
 *   retention;
 * - a change within the shown call (the customer the agent picked, new web activity) broadcasts
 *   that call; a pick restarts the stream for the picked customer.
 *
 * Nothing else writes the `calls` store: live activity writes through `activityStore` and its
 * callers publish with `updated`; retention deletes old calls, then calls `deleted`.
 */
export function createCallState(deps: CallStateDeps) {
  const sessions: Promise<CallSessions> = deps.db.then((db) =>
    createCallSessions({
      db,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.newId ? { newId: deps.newId } : {}),
    }),
  );

  /**
   * The primary call may have changed: tell the pages, follow its stream, then the rest. A write
   * that read the primary call in its own transaction hands it in (no second read on the pop).
   */
  const primaryChanged = async (known?: CallSession | null): Promise<void> => {
    const current = known !== undefined ? known : await (await sessions).current();
    tell(current).rest();
  };

  /** Tells the pages and follows the stream; `rest` then runs what else follows the change. */
  const tell = (current: CallSession | null): { rest(): void } => {
    deps.broadcast(current);
    deps.follow(isLive(current) ? current.id : null);
    return {
      rest: () => {
        const { afterChange } = deps;
        if (afterChange) setTimeout(() => afterChange(current), 0);
      },
    };
  };

  return {
    // ----- reads --------------------------------------------------------------------------
    /** The call the sidebar shows (see `CallSessions.current`). */
    current: async () => (await sessions).current(),
    waiting: async () => (await sessions).waiting(),
    get: async (id: string) => (await sessions).get(id),
    recent: async (limit: number) => (await sessions).recent(limit),

    // ----- changes of the primary call ----------------------------------------------------
    /** A detector's sighting (see `CallSessions.sight`); published when it changed anything. */
    async sight(
      sighting: CallerSighting,
      tabId: number | undefined,
      defaultRegion: string,
      mayStartCall = true,
      /** A new call's lookup known already (a fresh cached context): it starts looked up. */
      known?: KnownLookup,
    ): Promise<SightingResult | null> {
      const { result, primary, committed } = await (await sessions).sightWriting(
        sighting,
        tabId,
        defaultRegion,
        mayStartCall,
        known,
      );
      if (!result?.changed) {
        await committed;
        return result;
      }
      // The pages are told while the write commits (see `CallSessions.sightWriting`): on a
      // failed commit, they are told again what is stored.
      const told = tell(primary);
      try {
        await committed;
      } catch (error) {
        await primaryChanged();
        throw error;
      }
      told.rest();
      return result;
    },

    /** A lookup started, finished or failed. */
    async setLookup(
      id: string,
      lookup: Lookup,
      options?: { verbalConsentRequired?: boolean },
    ): Promise<CallSession | undefined> {
      const { session, primary } = await (await sessions).setLookupReadingPrimary(
        id,
        lookup,
        options,
      );
      if (session) await primaryChanged(primary);
      return session;
    },

    /** The agent finished the call's after-call work without logging it here. */
    async wrapUp(id: string): Promise<CallSession | undefined> {
      const updated = await (await sessions).wrapUp(id);
      if (updated) await primaryChanged();
      return updated;
    },

    /**
     * "Log call": the event goes into the outbox and the call is wrapped up (its draft gone) in
     * one transaction, so a crash leaves both or neither.
     */
    async logCall(
      event: AfterCallEvent,
      outbox: Pick<Outbox, 'add'>,
    ): Promise<{ duplicate: boolean }> {
      const store = await sessions;
      const result = await outbox.add(event, {
        stores: ['wrapUpDrafts', 'calls'],
        write: async (tx) => {
          await tx.objectStore('wrapUpDrafts').delete(event.callId);
          await store.wrappedUpIn(tx.objectStore('calls'), event.callId);
        },
      });
      await primaryChanged();
      return result;
    },

    /** An anonymous caller's spoken answer (see `CallSessions.recordVerbalConsent`). */
    async recordVerbalConsent(
      id: string,
      given: boolean,
    ): Promise<{ session: CallSession | undefined; changed: boolean }> {
      const result = await (await sessions).recordVerbalConsent(id, given);
      if (result.changed) await primaryChanged();
      return result;
    },

    /** Retention deleted finished calls' data: the pages show what remains. */
    deleted: (): Promise<void> => primaryChanged(),

    // ----- changes within the shown call --------------------------------------------------
    /** The agent (or a colleague on the call) picked one of several matching customers. */
    async pickMatch(id: string, profileId: string): Promise<CallSession | undefined> {
      const picked = await (await sessions).pickMatch(id, profileId);
      if (!picked) return undefined;
      deps.broadcast(picked);
      // The picked customer's activity from now on: the stream restarts for them.
      deps.follow(null);
      deps.follow(id);
      return picked;
    },

    /**
     * The store as live activity writes it (background/live-activity.ts keeps those writes in
     * order): `get`, and `setLookup` unpublished, since the activity's callers publish the
     * complete result with `updated`.
     */
    activityStore: async (): Promise<Pick<CallSessions, 'get' | 'setLookup'>> => {
      const store = await sessions;
      return { get: (id) => store.get(id), setLookup: (...args) => store.setLookup(...args) };
    },

    /** A call's content changed (new web activity): the pages show it. */
    updated(session: CallSession): void {
      deps.broadcast(session);
    },
  };
}

export type CallState = ReturnType<typeof createCallState>;
