import { formatIdentity, normalizePhone } from '../../shared/identity';
import type { CallerContext, Identity } from '../../shared/model';
import { badRequest } from '../http-errors';
import type { Source } from '../sources/source';
import { callerIntent, type IvrIntent, readCallers } from './caller';
import { type ContextInProgress, startContext } from './context-progress';
import type { IvrConfig } from './ivr-config';
import type { Manager, ManagerChoices } from './managers';
import type { PrefetchedContexts } from './prefetch';
import type { PresenceRegistry, PresenceState } from './presence';
import { decideRoute, type Route, type RoutingConfig } from './routing';

/** The answer of `GET /v1/ivr/lookup` (README, "IVR"). Fields are a contract: add, never rename. */
export interface IvrAnswer {
  /** The sources know the number. */
  known: boolean;
  /** How many customers have the number: with more than one, the IVR greets no one by name. */
  matches: number;
  firstName: string | null;
  displayName: string | null;
  /** The customer's language as their profile has it (BCP 47, e.g. `en-GB`). */
  language: string | null;
  latestCase: { number: string | null; title: string; status: string | null } | null;
  ownManager: {
    id: string | null;
    name: string | null;
    email: string | null;
    available: boolean;
    state: PresenceState;
  } | null;
  route: Route;
  /** What the caller just did online, when they allow personalisation. */
  intent?: IvrIntent;
  /** A source did not answer in the IVR's budget (or failed): the answer may lack what it knows. */
  partial: boolean;
}

export interface IvrLookupDeps {
  sources: readonly Source[];
  /** Each source's own deadline (config `sourceTimeoutMs`), for the context kept for the agent. */
  sourceTimeoutMs: number;
  ivr: IvrConfig;
  routing: RoutingConfig;
  presence: PresenceRegistry;
  managers: ManagerChoices;
  prefetched: PrefetchedContexts;
  /** Lookups still running on this replica, by identity, so a second ask joins the first. */
  inFlight: Map<string, Prefetch>;
  now: () => Date;
  /** Store failures: the IVR is answered anyway, as if the store knew nothing. */
  onStoreError: (error: unknown) => void;
}

/** A lookup the IVR started: its sources' progress, and the store write of the complete context. */
export interface Prefetch {
  progress: ContextInProgress;
  /** Settles once the complete context is in the store (or could not be kept). */
  kept: Promise<unknown>;
}

/** The part of the IVR's budget kept for the store reads after the sources (presence, choices). */
const STORE_SHARE = 0.2;

/** Reads the `ani` as the IVR has it: E.164, or national in `ivr.defaultRegion`. */
export function aniIdentity(ani: string | undefined, defaultRegion?: string): Identity {
  if (ani === undefined || ani.trim() === '')
    throw badRequest('ani is required: the caller number, E.164 like +442079460123');
  // An unencoded `+` in a query string arrives as a space.
  const phone = normalizePhone(ani.replace(/^ (?=\d)/, '+'), defaultRegion);
  if (!phone.ok) throw badRequest(`ani: ${phone.error}`);
  return { namespace: 'phone', value: phone.value };
}

export function waitedSecondsParam(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d{1,6}$/.test(text))
    throw badRequest('waitedSeconds must be a whole number of seconds, like 75');
  return Number(text);
}

/**
 * Who is calling, their latest case, their own manager and whether that person is free, and
 * where to route: within `ivr.timeoutMs` whatever the sources do. A slow source is left out of
 * the answer, not turned into an error; its answer still reaches the context kept for the agent.
 */
export async function ivrLookup(
  deps: IvrLookupDeps,
  identity: Identity,
  waitedSeconds: number,
): Promise<IvrAnswer> {
  const started = Date.now();
  const deadline = started + deps.ivr.timeoutMs;
  const sourcesDeadline = deadline - Math.round(deps.ivr.timeoutMs * STORE_SHARE);
  const context = await contextFor(deps, identity, sourcesDeadline);
  const { count, caller } = readCallers(context);
  const known = count > 0;

  let manager: Manager | null = null;
  if (caller) {
    const choice = await beforeDeadline(
      deps.managers.forCustomers([
        { identity },
        ...caller.profiles.map((profile) => ({ profile })),
      ]),
      deadline,
      deps.onStoreError,
    );
    const owner = caller.owner;
    manager =
      choice?.manager ??
      (owner && (owner.email || owner.id || owner.name)
        ? {
            ...(owner.id ? { id: owner.id } : {}),
            ...(owner.name ? { name: owner.name } : {}),
            ...(owner.email ? { email: owner.email } : {}),
          }
        : null);
  }
  let state: PresenceState = 'offline';
  if (manager) {
    const presence = await beforeDeadline(
      deps.presence.stateOf(manager),
      deadline,
      deps.onStoreError,
    );
    state = presence?.state ?? 'offline';
  }
  const ownManager = manager ? { ...manager, state } : null;
  const route = decideRoute({ known, ownManager, waitedSeconds }, deps.routing);
  const latest = caller?.cases[0];
  const intent = caller ? callerIntent(caller, deps.now()) : undefined;
  return {
    known,
    matches: count,
    firstName: caller?.firstName ?? null,
    displayName: caller?.displayName ?? null,
    language: caller?.language ?? null,
    latestCase: latest
      ? { number: latest.number ?? null, title: latest.title, status: latest.status ?? null }
      : null,
    ownManager: manager
      ? {
          id: manager.id ?? null,
          name: manager.name ?? null,
          email: manager.email ?? null,
          available: state === 'available',
          state,
        }
      : null,
    route,
    ...(intent ? { intent } : {}),
    partial: context.errors.length > 0,
  };
}

/**
 * The caller's context: kept from an earlier lookup (the IVR asking again with `waitedSeconds`),
 * joined to one in flight, or asked of the sources now. A fresh lookup goes on after the IVR's
 * budget and, once complete, is kept for the agent's screen pop.
 */
async function contextFor(
  deps: IvrLookupDeps,
  identity: Identity,
  deadline: number,
): Promise<CallerContext> {
  const key = formatIdentity(identity);
  let running = deps.inFlight.get(key);
  if (!running) {
    const kept = await beforeDeadline(deps.prefetched.get(identity), deadline, deps.onStoreError);
    if (kept) return kept;
    running = deps.inFlight.get(key);
  }
  if (!running) {
    const progress = startContext(deps.sources, identity, deps.sourceTimeoutMs, deps.now);
    const started: Prefetch = {
      progress,
      kept: progress.complete
        .then((context) => deps.prefetched.put(context))
        .catch(deps.onStoreError),
    };
    running = started;
    deps.inFlight.set(key, started);
    void started.kept.finally(() => {
      if (deps.inFlight.get(key) === started) deps.inFlight.delete(key);
    });
  }
  const complete = await beforeDeadline(running.progress.complete, deadline, () => {});
  if (!complete)
    return running.progress.snapshot(`no answer within the IVR's ${deps.ivr.timeoutMs} ms`);
  // Once the IVR has its answer, the agent's screen pop on any replica finds the context kept.
  await beforeDeadline(running.kept, deadline, () => {});
  return complete;
}

/**
 * The promise's value if it settles before `deadline` (ms since the epoch); otherwise, or when it
 * fails, undefined. A failure goes to `onError`.
 */
export async function beforeDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  onError: (error: unknown) => void,
): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([
      promise.catch((error: unknown) => {
        onError(error);
        return undefined;
      }),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
