import { type CallSession, parseSighting } from '../shared/call';
import { matchesAny } from '../shared/match-pattern';
import { type CallSessions, createCallSessions } from './call-sessions';
import type { ConfigStore } from './config-store';
import { type ContextService, createContextService, gatewayFetcher } from './context-service';
import type { Database } from './db';
import type { FetchLike } from './gateway-client';

/** Who sent a runtime message (the subset of `runtime.MessageSender` we check). */
export interface Sender {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
}

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
}

export class RefusedMessage extends Error {}

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

  const contexts =
    deps.contextService ??
    createContextService({
      db: deps.db,
      config: deps.config,
      fetchers: (config) => [gatewayFetcher(config, deps.fetch)],
      ...(deps.now ? { now: deps.now } : {}),
    });

  const lookUp = async (session: CallSession): Promise<void> => {
    if (!session.identity) return;
    const store = await sessions;
    let updated: CallSession | undefined;
    try {
      const context = await contexts.lookup(session.identity);
      updated = await store.setLookup(session.id, { status: 'done', context });
    } catch (error) {
      const message = error instanceof Error ? error.message : 'The lookup failed.';
      updated = await store.setLookup(session.id, { status: 'failed', message });
    }
    if (updated) deps.broadcast(updated);
  };

  const fromOwnContentScript = (sender: Sender): sender is Sender & { tab: { id: number } } =>
    sender.id === deps.extensionId && typeof sender.tab?.id === 'number';

  const fromOwnPage = (sender: Sender): boolean =>
    sender.id === deps.extensionId && (sender.url ?? '').startsWith(deps.extensionOrigin);

  return {
    async reportCaller(
      data: unknown,
      sender: Sender,
    ): Promise<{ accepted: boolean; error?: string }> {
      if (!fromOwnContentScript(sender)) throw new RefusedMessage('reportCaller: not from a tab');
      const sighting = parseSighting(data);
      if (sighting instanceof Error) return { accepted: false, error: sighting.message };
      const { config } = await deps.config.get();
      const result = await (await sessions).sight(sighting, sender.tab.id, config.defaultRegion);
      if (!result) return { accepted: false, error: 'no such call' };
      if (result.changed) deps.broadcast(result.session);
      if (result.isNew) lookUp(result.session).catch(reportLookupFailure);
      return { accepted: true };
    },

    async getCurrentCall(sender: Sender): Promise<CallSession | null> {
      if (!fromOwnPage(sender)) throw new RefusedMessage('getCurrentCall: not from our pages');
      return (await sessions).current();
    },

    async sidebarPlacement(sender: Sender): Promise<{ mount: boolean }> {
      if (!fromOwnContentScript(sender))
        throw new RefusedMessage('sidebarPlacement: not from a tab');
      const { config } = await deps.config.get();
      return { mount: matchesAny(sender.tab.url ?? '', config.crmMatches) };
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
