import type { Context, MiddlewareHandler } from 'hono';
import { type AfterCallEvent, parseAfterCallEvent } from '../../shared/after-call';
import { formatIdentity } from '../../shared/identity';
import type { CallerContext, Identity } from '../../shared/model';
import { ApiError } from '../http-errors';
import { isRecord } from '../json-shape';
import type { Logger } from '../request-log';
import type { SinkForwarder } from '../sink-forwarder';
import type { Source } from '../sources/source';
import { agentResolver } from './agents';
import { ivrAuth } from './ivr-auth';
import type { AgentConfig, IvrConfig } from './ivr-config';
import { type IvrAnswer, ivrLookup, type Prefetch } from './ivr-lookup';
import type { IvrStore } from './ivr-store';
import { ManagerChoices } from './managers';
import { PrefetchedContexts } from './prefetch';
import {
  type AgentIdentity,
  type PresenceRecord,
  PresenceRegistry,
  type PresenceState,
} from './presence';
import type { RoutingConfig } from './routing';

/** The parts of the gateway config the IVR and presence read (README, "IVR"). */
export interface IvrGatewayConfig {
  ivrTokens: readonly string[];
  agents: readonly AgentConfig[];
  ivr: IvrConfig;
  routing: RoutingConfig;
  sourceTimeoutMs: number;
}

export interface IvrGatewayOptions {
  config: IvrGatewayConfig;
  store: IvrStore;
  sources: readonly Source[];
  logger: Logger;
  /**
   * Who the request's authentication found (gateway/auth.ts): agents signed in with OIDC are known
   * by their token's `email` and `sub` (`oidc:<sub>`).
   */
  principalOf?: (c: Context) => { id: string; email?: string; name?: string } | undefined;
  now?: () => Date;
}

/**
 * The IVR's side of the gateway: the lookup for IVR keys, agents' presence, contexts kept for the
 * agent's screen pop, and managers chosen at wrap-up. Everything it keeps lives in the store.
 */
export function createIvrGateway(options: IvrGatewayOptions) {
  const { config, store, sources, logger } = options;
  const now = options.now ?? (() => new Date());
  const clock = () => now().getTime();
  const presence = new PresenceRegistry(store, clock);
  const managers = new ManagerChoices(store, clock);
  const prefetched = new PrefetchedContexts(store, config.ivr.prefetchSeconds);
  const inFlight = new Map<string, Prefetch>();
  const staticAgentOf = agentResolver(config.agents);
  /** An `auth.agents` token (with its CRM id), else an OIDC sign-in; other tokens name nobody. */
  const agentOf = async (c: Context): Promise<AgentIdentity | undefined> => {
    const configured = await staticAgentOf(c.req.header('Authorization'));
    if (configured) return configured;
    const principal = options.principalOf?.(c);
    if (!principal?.id.startsWith('oidc:')) return undefined;
    const sub = principal.id.slice('oidc:'.length);
    if (!principal.email && !sub) return undefined;
    return {
      ...(principal.email ? { email: principal.email } : {}),
      ...(sub ? { id: sub } : {}),
      ...(principal.name ? { name: principal.name } : {}),
    };
  };
  const onStoreError = (error: unknown) =>
    logger.error('the store failed; the IVR was answered without it', error);
  const lookupDeps = {
    sources,
    sourceTimeoutMs: config.sourceTimeoutMs,
    ivr: config.ivr,
    routing: config.routing,
    presence,
    managers,
    prefetched,
    inFlight,
    now,
    onStoreError,
  };

  return {
    /** Lets IVR keys through to `/v1/ivr/*`, and nothing else. */
    auth: ivrAuth(config.ivrTokens) as MiddlewareHandler,
    defaultRegion: config.ivr.defaultRegion,
    presence,
    managers,

    lookup(identity: Identity, waitedSeconds: number): Promise<IvrAnswer> {
      return ivrLookup(lookupDeps, identity, waitedSeconds);
    },

    /**
     * The context an IVR lookup fetched for this caller in the last `ivr.prefetchSeconds`, or the
     * one it is still fetching on this replica: the agent's screen pop answers from it instead of
     * asking the sources again. Undefined when there is none (or the store cannot say).
     */
    async warmContext(identity: Identity): Promise<CallerContext | undefined> {
      const running = inFlight.get(formatIdentity(identity));
      if (running) {
        const context = await running.progress.complete;
        if (context.errors.length === 0) return context;
      }
      try {
        return await prefetched.get(identity);
      } catch (error) {
        logger.error('the store failed; the context is asked of the sources', error);
        return undefined;
      }
    },

    /** The agent who holds the request's bearer token, if it names one. */
    agentOf,

    reportPresence(agent: AgentIdentity, state: PresenceState): Promise<PresenceRecord> {
      return presence.report(agent, state);
    },

    /**
     * Before `POST /v1/events` stores an after-call event: when the agent chose "Make me their
     * manager", records the agent as the customer's manager (the next IVR lookup routes to them)
     * and under the event's id, for the sinks. An agent the gateway cannot name changes nothing.
     */
    recordManagerChoice: (async (c, next) => {
      // Read as text, which Hono keeps for the route's own read of the same body.
      const body = parseJson(await c.req.text().catch(() => ''));
      if (isRecord(body) && body.makeMeManager === true) {
        const event = parseAfterCallEvent(body);
        if (!(event instanceof Error) && (event.profile || event.identity)) {
          const agent = await agentOf(c);
          if (agent) await recordChoice(managers, event, agent, c);
          else logger.info('"make me their manager" from a token that names no agent: ignored');
        }
      }
      await next();
    }) as MiddlewareHandler,

    /**
     * The sinks, handed each event with the manager its agent chose (`newManager`), so that each
     * writes the change in its platform's own way (README, "IVR").
     */
    withManagerChoices(sinks: SinkForwarder): SinkForwarder {
      return {
        get count() {
          return sinks.count;
        },
        async forward(event, done) {
          if (event.makeMeManager !== true) return sinks.forward(event, done);
          const choice = await managers.forEvent(event.id);
          const forwarded: AfterCallEvent = choice
            ? { ...event, newManager: choice.manager }
            : event;
          return sinks.forward(forwarded, done);
        },
      };
    },
  };
}

export type IvrGateway = ReturnType<typeof createIvrGateway>;

async function recordChoice(
  managers: ManagerChoices,
  event: AfterCallEvent,
  agent: AgentIdentity,
  c: Context,
): Promise<void> {
  try {
    await managers.record({ profile: event.profile, identity: event.identity }, agent, event.id);
  } catch {
    // The outbox sends the event again on a 503; the choice must not be lost on the way.
    c.header('Retry-After', '5');
    throw new ApiError(503, 'store_unavailable', 'the choice of manager cannot be kept right now');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
