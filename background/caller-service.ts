import { type CallSession, parseSighting } from '../shared/call';
import { withholdUnconsented } from '../shared/consent';
import { matchesAny } from '../shared/match-pattern';
import { type CallSessions, createCallSessions } from './call-sessions';
import type { ConfigStore } from './config-store';
import { type ContextService, createContextService, gatewayFetcher } from './context-service';
import type { Database } from './db';
import { type FetchLike, GatewayError } from './gateway-client';
import { withRecentContacts } from './recent-contacts';
import { isOwnContentScript, isOwnPage, RefusedMessage, type Sender } from './senders';
import { createTabRateLimit, type RateLimits } from './tab-rate-limit';

export { RefusedMessage, type Sender } from './senders';

export interface CallerServiceDeps {
  extensionId: string;
  /** `runtime.getURL('/')`: the origin of our own pages. */
  extensionOrigin: string;
  db: Promise<Database>;
  config: ConfigStore;
  fetch?: FetchLike;
  /** Fans lookups out to the back ends, merges and caches them; by default the gateway alone. */
  contextService?: ContextService;
  /** Tells the extension's pages (sidebars) that the current call changed. */
  broadcast(session: CallSession | null): void;
  now?: () => Date;
  rateLimits?: RateLimits;
  /** Keeps each lookup in the local audit list (who, when, which identity). */
  recordLookup?(lookup: {
    identity: string;
    callId: string;
    reason: 'call' | 'retry';
  }): Promise<void>;
}

/** Storage failed under a lookup (quota, a closed database): the call stays pending until resume. */
function reportLookupFailure(error: unknown): void {
  console.error('Caller Context: could not record a lookup', error);
}

/**
 * The background's answers to the protocol: sightings from detectors become call sessions, new
 * calls are looked up at the gateway, and pages read the current call. Each handler checks its
 * sender and validates its input; the page a content script runs in is not trusted.
 */
export function createCallerService(deps: CallerServiceDeps) {
  const sessions: Promise<CallSessions> = deps.db.then((db) =>
    createCallSessions({ db, ...(deps.now ? { now: deps.now } : {}) }),
  );
  const now = deps.now ?? (() => new Date());
  const rateLimit = createTabRateLimit(deps.rateLimits, () => now().getTime());

  /** Tells the sidebars which call is primary now (a waiting call never takes its place). */
  const broadcastPrimary = async (): Promise<void> => {
    deps.broadcast(await (await sessions).current());
  };

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
    const store = await sessions;
    let updated: CallSession | undefined;
    // The audit entry is written beside the lookup, not before it: the audit list must not be what
    // stops (or slows: its write and trimming took ~10 ms of a ~45 ms screen pop) the agent
    // seeing the caller. It is started first, so it is written whatever the lookup does.
    const audited = (
      deps.recordLookup?.({
        identity: `${session.identity.namespace}:${session.identity.value}`,
        callId: session.id,
        reason,
      }) ?? Promise.resolve()
    ).catch((error: unknown) => console.error('Caller Context: audit list', error));
    try {
      // A first start: the policy (which names the gateway) may still be on its way.
      await deps.config.policyKnown?.();
      // What the customer did not consent to show never reaches the sidebar's page.
      // Calls logged in this browser join the contact history before any platform has them.
      const context = await withRecentContacts(
        contexts.lookup(session.identity).then(withholdUnconsented),
        deps.db,
        now(),
      );
      // No profile: the number was the whole lookup until the caller says more may be looked at.
      const { config } = await deps.config.get();
      updated = await store.setLookup(
        session.id,
        { status: 'done', context },
        { verbalConsentRequired: config.requireVerbalConsent && context.matches.length === 0 },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : 'The lookup failed.';
      const problem = error instanceof GatewayError ? error.problem : undefined;
      updated = await store.setLookup(session.id, {
        status: 'failed',
        message,
        ...(problem ? { problem } : {}),
      });
    }
    if (updated) await broadcastPrimary();
    // A retry or a resume answers once the audit entry is in, too.
    await audited;
  };

  const fromOwnContentScript = (sender: Sender): sender is Sender & { tab: { id: number } } =>
    isOwnContentScript(sender, deps);
  const fromOwnPage = (sender: Sender): boolean => isOwnPage(sender, deps);

  return {
    async reportCaller(
      data: unknown,
      sender: Sender,
    ): Promise<{ accepted: boolean; error?: string }> {
      if (!fromOwnContentScript(sender)) throw new RefusedMessage('reportCaller: not from a tab');
      const sighting = parseSighting(data);
      if (sighting instanceof Error) return { accepted: false, error: sighting.message };
      const tabId = sender.tab.id;
      if (!rateLimit.allowSighting(tabId))
        return { accepted: false, error: 'too many reports from this tab; try again in a minute' };
      const { config } = await deps.config.get();
      const mayStart = rateLimit.canStartCall(tabId);
      const result = await (await sessions).sight(sighting, tabId, config.defaultRegion, mayStart);
      if (!result)
        return {
          accepted: false,
          error: mayStart
            ? 'no such call'
            : 'too many new calls from this tab; try again in a minute',
        };
      if (result.isNew) rateLimit.startedCall(tabId);
      if (result.changed) await broadcastPrimary();
      // A waiting call is looked up too, so it shows at once when the agent takes it.
      if (result.isNew) lookUp(result.session).catch(reportLookupFailure);
      return { accepted: true };
    },

    async getCurrentCall(sender: Sender): Promise<CallSession | null> {
      if (!fromOwnPage(sender)) throw new RefusedMessage('getCurrentCall: not from our pages');
      return (await sessions).current();
    },

    async getWaitingCalls(sender: Sender): Promise<CallSession[]> {
      if (!fromOwnPage(sender)) throw new RefusedMessage('getWaitingCalls: not from our pages');
      return (await sessions).waiting();
    },

    async wrapUpCall(data: unknown, sender: Sender): Promise<{ wrappedUp: boolean }> {
      if (!fromOwnPage(sender)) throw new RefusedMessage('wrapUpCall: not from our pages');
      const id = (data as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' || id.length === 0 || id.length > 64) return { wrappedUp: false };
      const updated = await (await sessions).wrapUp(id);
      if (updated) await broadcastPrimary();
      return { wrappedUp: Boolean(updated) };
    },

    async sidebarPlacement(sender: Sender): Promise<{ mount: boolean; sidePanel?: boolean }> {
      if (!fromOwnContentScript(sender))
        throw new RefusedMessage('sidebarPlacement: not from a tab');
      const { config } = await deps.config.get();
      const isCrm = matchesAny(sender.tab.url ?? '', config.crmMatches);
      // In side-panel mode the sidebar lives in the browser's panel, never in the page; a CRM
      // tab offers only a button that opens the panel.
      if (config.sidebarPlacement === 'sidePanel') return { mount: false, sidePanel: isCrm };
      return { mount: isCrm };
    },

    /**
     * The agent's Retry after a source failed (or the whole lookup did): looks the call's caller
     * up again, past the cache, showing progress meanwhile. Answers once the new result is in.
     */
    async retryLookup(data: unknown, sender: Sender): Promise<{ ok: boolean; error?: string }> {
      if (!fromOwnPage(sender)) throw new RefusedMessage('retryLookup: not from our pages');
      const callId = (data as { callId?: unknown } | null)?.callId;
      if (typeof callId !== 'string' || callId.length === 0 || callId.length > 64)
        return { ok: false, error: 'callId is required' };
      const store = await sessions;
      const session = await store.get(callId);
      if (!session?.identity) return { ok: false, error: 'no such call' };
      if (session.lookup.status === 'pending') return { ok: true };
      const pending = await store.setLookup(session.id, { status: 'pending' });
      if (pending) await broadcastPrimary();
      await lookUp(pending ?? session, 'retry');
      return { ok: true };
    },

    /**
     * After a worker restart: a lookup that was under way when the worker stopped is done again,
     * so a call never stays "looking up" forever.
     */
    async resume(): Promise<void> {
      const current = await (await sessions).current();
      if (current?.lookup.status === 'pending') await lookUp(current).catch(reportLookupFailure);
    },
  };
}

export type CallerService = ReturnType<typeof createCallerService>;
