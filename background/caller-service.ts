import type { CallerSighting, CallSession } from '../shared/call';
import type { ExtensionConfig } from '../shared/config';
import { withholdUnconsented } from '../shared/consent';
import { matchesAny } from '../shared/match-pattern';
import type { CallerContext, Identity } from '../shared/model';
import type { KnownLookup } from './call-sessions';
import type { CallState } from './call-state';
import type { ConfigStore } from './config-store';
import {
  type ContextService,
  createContextService,
  freshCachedContext,
  gatewayFetcher,
} from './context-service';
import type { Database } from './db';
import { type FetchLike, GatewayError } from './gateway-client';
import { joinLoggedCalls, loggedCallsIn, withRecentContacts } from './recent-contacts';
import { createTabRateLimit, type RateLimits } from './tab-rate-limit';

export interface CallerServiceDeps {
  db: Promise<Database>;
  config: ConfigStore;
  /** The one owner of call state: stores each change and tells the pages. */
  calls: Pick<CallState, 'sight' | 'setLookup' | 'wrapUp' | 'get' | 'current'>;
  fetch?: FetchLike;
  /** Fans lookups out to the back ends, merges and caches them; by default the gateway alone. */
  contextService?: ContextService;
  now?: () => Date;
  rateLimits?: RateLimits;
  /** Keeps each lookup in the local audit list (who, when, which identity). */
  recordLookup?(lookup: {
    identity: string;
    callId: string;
    reason: 'call' | 'retry';
  }): Promise<void>;
}

/**
 * No profile matched: the number was the whole lookup until the caller says more may be looked
 * at, where the config asks for that (whether the context came from the cache or a lookup).
 */
function needsVerbalConsent(config: ExtensionConfig, context: CallerContext): boolean {
  return config.requireVerbalConsent && context.matches.length === 0;
}

/** Storage failed under a lookup (quota, a closed database): the call stays pending until resume. */
function reportLookupFailure(error: unknown): void {
  console.error('Caller Context: could not record a lookup', error);
}

/**
 * Calls as the detectors see them: sightings become call sessions (background/call-state.ts),
 * new calls are looked up at the gateway, and the agent's pages wrap calls up or retry a lookup.
 * Its callers (background/messages.ts) checked who asked and what they sent.
 */
export function createCallerService(deps: CallerServiceDeps) {
  const { calls } = deps;
  const now = deps.now ?? (() => new Date());
  const rateLimit = createTabRateLimit(deps.rateLimits, () => now().getTime());

  const contexts =
    deps.contextService ??
    createContextService({
      db: deps.db,
      config: deps.config,
      fetchers: (config) => [gatewayFetcher(config, deps.fetch)],
      ...(deps.now ? { now: deps.now } : {}),
    });

  const lookUp = async (session: CallSession, reason: 'call' | 'retry' = 'call'): Promise<void> => {
    if (!session.identity) return;
    const identity = session.identity;
    try {
      // A first start: the policy (which names the gateway) may still be on its way.
      await deps.config.policyKnown?.();
      // What the customer did not consent to show never reaches the sidebar's page.
      // Calls logged in this browser join the contact history before any platform has them.
      const context = await withRecentContacts(
        contexts.lookup(identity).then(withholdUnconsented),
        deps.db,
        now(),
      );
      const { config } = await deps.config.get();
      await calls.setLookup(
        session.id,
        { status: 'done', context },
        { verbalConsentRequired: needsVerbalConsent(config, context) },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : 'The lookup failed.';
      const problem = error instanceof GatewayError ? error.problem : undefined;
      await calls.setLookup(session.id, {
        status: 'failed',
        message,
        ...(problem ? { problem } : {}),
      });
    } finally {
      await afterLookup(session, identity, reason);
    }
  };

  /**
   * After a lookup, done or failed, once the agent sees the caller: its audit entry, and after a
   * call that started looked up from the cache, the purge of expired contexts it skipped. Neither
   * (~10 ms) may stop or slow the screen pop (bench/pop-profile.ts).
   */
  const afterLookup = async (
    session: CallSession,
    identity: Identity,
    reason: 'call' | 'retry',
    fromCache = false,
  ): Promise<void> => {
    if (fromCache)
      await contexts
        .purgeExpired()
        .catch((error: unknown) => console.error('Caller Context: cache purge', error));
    await (
      deps.recordLookup?.({
        identity: `${identity.namespace}:${identity.value}`,
        callId: session.id,
        reason,
      }) ?? Promise.resolve()
    ).catch((error: unknown) => console.error('Caller Context: audit list', error));
  };

  /**
   * A ring's caller from the cache, read in the transaction that writes the call (background/
   * call-sessions.ts, `KnownLookup`): a fresh cached context, consent applied and this browser's
   * logged calls joined as a lookup would, so the call starts looked up. Only once the policy
   * was read: until then a lookup waits for it, and so does a cached answer.
   */
  const fromCache =
    (config: ExtensionConfig): KnownLookup =>
    async (tx, identity) => {
      const at = now();
      const cached = await freshCachedContext(
        tx.objectStore('contextCache'),
        identity,
        at.getTime(),
      );
      if (!cached) return undefined;
      const withheld = withholdUnconsented(cached);
      const logged = await loggedCallsIn(tx.objectStore('outbox'), withheld, at);
      const context = joinLoggedCalls(withheld, logged);
      return {
        lookup: { status: 'done', context },
        verbalConsentRequired: needsVerbalConsent(config, context),
      };
    };

  return {
    /** A detector in tab `tabId` reports what it sees. */
    async reportCaller(
      sighting: CallerSighting,
      tabId: number,
    ): Promise<{ accepted: boolean; error?: string }> {
      if (!rateLimit.allowSighting(tabId))
        return { accepted: false, error: 'too many reports from this tab; try again in a minute' };
      const { config } = await deps.config.get();
      const mayStart = rateLimit.canStartCall(tabId);
      const known = deps.config.knowsPolicy?.() ? fromCache(config) : undefined;
      const sight = (withKnown?: KnownLookup) =>
        calls.sight(sighting, tabId, config.defaultRegion, mayStart, withKnown);
      const result = await sight(known).catch((error: unknown) => {
        if (!known) throw error;
        // The cache or the outbox could not be read: the sighting alone, and a lookup as usual.
        console.error('Caller Context: could not read the cache', error);
        return sight();
      });
      if (!result)
        return {
          accepted: false,
          error: mayStart
            ? 'no such call'
            : 'too many new calls from this tab; try again in a minute',
        };
      if (result.isNew) rateLimit.startedCall(tabId);
      const { session } = result;
      // A waiting call is looked up too, so it shows at once when the agent takes it.
      if (result.isNew && session.lookup.status === 'pending')
        lookUp(session).catch(reportLookupFailure);
      else if (result.isNew && session.identity && session.lookup.status === 'done')
        void afterLookup(session, session.identity, 'call', true);
      return { accepted: true };
    },

    async wrapUpCall(id: string): Promise<{ wrappedUp: boolean }> {
      return { wrappedUp: Boolean(await calls.wrapUp(id)) };
    },

    /** Whether a tab showing `tabUrl` mounts the sidebar (or offers the side panel). */
    async sidebarPlacement(
      tabUrl: string | undefined,
    ): Promise<{ mount: boolean; sidePanel?: boolean }> {
      const { config } = await deps.config.get();
      const isCrm = matchesAny(tabUrl ?? '', config.crmMatches);
      // In side-panel mode the sidebar lives in the browser's panel, never in the page; a CRM
      // tab offers only a button that opens the panel.
      if (config.sidebarPlacement === 'sidePanel') return { mount: false, sidePanel: isCrm };
      return { mount: isCrm };
    },

    /**
     * The agent's Retry after a source failed (or the whole lookup did): looks the call's caller
     * up again, past the cache, showing progress meanwhile. Answers once the new result is in.
     */
    async retryLookup(callId: string): Promise<{ ok: boolean; error?: string }> {
      const session = await calls.get(callId);
      if (!session?.identity) return { ok: false, error: 'no such call' };
      if (session.lookup.status === 'pending') return { ok: true };
      const pending = await calls.setLookup(session.id, { status: 'pending' });
      await lookUp(pending ?? session, 'retry');
      return { ok: true };
    },

    /**
     * After a worker restart: a lookup that was under way when the worker stopped is done again,
     * so a call never stays "looking up" forever.
     */
    async resume(): Promise<void> {
      const current = await calls.current();
      if (current?.lookup.status === 'pending') await lookUp(current).catch(reportLookupFailure);
    },
  };
}

export type CallerService = ReturnType<typeof createCallerService>;
