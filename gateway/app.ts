import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import {
  authenticate,
  type KnownToken,
  knownTokens,
  type Principal,
  principalOf,
  tokenDigest,
} from './auth';
import type { GatewayConfig } from './config';
import { Conversations } from './conversations/conversations';
import { allowedOrigin } from './cors-origins';
import { type DeliveryOptions, DeliveryWorker } from './delivery';
import { EventLedger } from './event-store';
import { ApiError, errorBody } from './http-errors';
import { MIN_SECRET_BYTES } from './identity-token';
import { createIvrGateway, type IvrGateway } from './ivr/ivr-gateway';
import { type LiveBuffer, StoreLiveBuffer } from './live-buffer';
import { oidcVerifier } from './oidc';
import { type PeerAddress, RateLimiter } from './rate-limit';
import { consoleLogger, identityHasher, type Logger, requestLog } from './request-log';
import { registerContextRoutes } from './routes/context-route';
import { registerConversationRoutes } from './routes/conversation-routes';
import { registerIvrRoutes, registerManagerChoice } from './routes/ivr-routes';
import { registerPresenceRoute } from './routes/presence-route';
import { registerReadinessRoute } from './routes/readiness-route';
import type { RouteDeps } from './routes/route-deps';
import { registerStreamRoute } from './routes/stream-route';
import { registerWriteRoutes } from './routes/write-routes';
import { createSinkForwarder, type SinkForwarder } from './sink-forwarder';
import { createSources } from './sources/registry';
import type { Source } from './sources/source';
import { isStoreUnavailable, type Store } from './store/store';
import { createStore } from './store/store-config';

export const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface GatewayOptions {
  /** Where request lines and unexpected errors go; `silentLogger` in tests. */
  logger?: Logger;
  live?: LiveBuffer;
  /** Used instead of the sources the config names (tests inject fakes here). */
  sources?: Source[];
  heartbeatMs?: number;
  now?: () => Date;
  /** Used instead of the sinks the config names (tests point them at local servers). */
  sinks?: SinkForwarder;
  /** Used instead of the store the config names; the caller then closes it. */
  store?: Store;
  /** The socket's peer address, read the runtime's way (Node: `@hono/node-server/conninfo`). */
  peerAddress?: PeerAddress;
  /** Where `...Env` secrets are read; `process.env` when left out. */
  env?: Record<string, string | undefined>;
  /** Deliveries run in the background (a long-running process); serverless calls `drain`. */
  deliverInBackground?: boolean;
  /** Delivery timings (tests shorten the backoff). */
  delivery?: Partial<Pick<DeliveryOptions, 'backoffMs' | 'pollMs' | 'leaseMs' | 'maxAttempts'>>;
}

export interface Gateway {
  app: Hono;
  /** After-call events taken, by principal and id. */
  events: EventLedger;
  /** Delivers queued after-call events to the sinks. */
  delivery: DeliveryWorker;
  live: LiveBuffer;
  sources: readonly Source[];
  /** Where state shared by every replica lives (gateway/store/store.ts). */
  store: Store;
  /** The IVR lookup, agents' presence and managers chosen at wrap-up (gateway/ivr/). */
  ivr: IvrGateway;
  /** Ends open activity streams, stops deliveries (and closes the store it made). */
  close(): Promise<void>;
}

/** The gateway as a Hono app (docs/architecture.md, "Gateway HTTP API"), free of any server. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? consoleLogger;
  const now = options.now ?? (() => new Date());
  const store =
    options.store ?? createStore(config.store, { onProblem: (message) => logger.error(message) });
  const env = options.env ?? process.env;
  const live =
    options.live ??
    new StoreLiveBuffer(store, {
      maxEventsPerIdentity: config.liveBuffer.maxEventsPerIdentity,
      maxAgeMs: config.liveBuffer.maxAgeMinutes * 60_000,
      maxBytesPerIdentity: config.liveBuffer.maxBytesPerIdentity,
      maxBytes: config.liveBuffer.maxBytes,
    });
  const events = new EventLedger(store);
  const sources =
    options.sources ?? createSources(config.sources, { live, baseDir: config.baseDir, now });
  const ivr = createIvrGateway({
    config: {
      ivrTokens: config.auth.ivrTokens,
      agents: config.auth.agents,
      ivr: config.ivr,
      routing: config.routing,
      sourceTimeoutMs: config.sourceTimeoutMs,
    },
    store,
    sources,
    logger,
    now,
    principalOf,
  });
  const sinks = ivr.withManagerChoices(options.sinks ?? createSinkForwarder(config.sinks));
  const sinkIds = config.sinks.map((sink) => sink.id);
  const delivery = new DeliveryWorker({
    leaseMs: config.delivery.leaseSeconds * 1000,
    maxAttempts: config.delivery.maxAttempts,
    ...options.delivery,
    store,
    sinks,
    sinkIds,
    logger,
  });
  const siteSecrets = siteKeySecrets(config, env, logger);
  const hashKeyEnv = config.log.identityHashKeyEnv;
  const hashIdentity = identityHasher(hashKeyEnv ? env[hashKeyEnv] : undefined);
  const deps: RouteDeps = {
    hashIdentity,
    sources,
    live,
    events,
    sinks,
    sinkIds,
    delivery,
    limiter: new RateLimiter(store, () => now().getTime()),
    rateLimits: config.rateLimits,
    siteSecrets,
    ...(options.peerAddress ? { peerAddress: options.peerAddress } : {}),
    sourceTimeoutMs: config.sourceTimeoutMs,
    logger,
    now,
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    openStreams: new Set(),
    store,
    warmContext: (identity) => ivr.warmContext(identity),
  };
  const tokens: KnownToken[] = [
    ...knownTokens(config.auth.tokens, 'agent', 'token'),
    ...config.auth.agents.map(
      (agent): KnownToken => ({
        digest: tokenDigest(agent.token),
        principal: {
          kind: 'agent',
          id: `agent:${agent.email}`,
          name: agent.name,
          email: agent.email,
          ...(agent.supervisor ? { supervisor: true } : {}),
        },
      }),
    ),
    ...knownTokens(config.auth.collectTokens, 'collector', 'collect'),
    ...config.auth.siteKeys.map(
      (site): KnownToken => ({
        digest: tokenDigest(site.key),
        principal: { kind: 'site', id: siteKeyId(site) },
      }),
    ),
  ];
  const verifyJwt = config.auth.oidc ? oidcVerifier(config.auth.oidc) : undefined;
  const anyone: readonly Principal['kind'][] = ['agent', 'collector', 'site'];
  const agents: readonly Principal['kind'][] = ['agent'];

  const app = new Hono();
  app.use(requestLog(logger, hashIdentity));
  app.use(
    cors({
      origin: allowedOrigin(config.cors.origins),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    }),
  );
  app.get('/healthz', (c) => c.json({ ok: true }));
  registerReadinessRoute(app, deps);
  // Before the agents' authentication: IVR keys open /v1/ivr/* and nothing else.
  registerIvrRoutes(app, ivr);
  app.use(
    '/v1/*',
    authenticate({
      tokens,
      ...(verifyJwt ? { verifyJwt } : {}),
      // Collect keys and site keys open POST /v1/collect and nothing else.
      allowed: (c) => (c.req.method === 'POST' && c.req.path === '/v1/collect' ? anyone : agents),
    }),
  );
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(errorBody('payload_too_large', 'the body is larger than 1 MB'), 413),
    }),
  );
  registerConversationRoutes(app, {
    ...deps,
    conversations: new Conversations(store, config.conversations, { now: () => now().getTime() }),
    ivr,
    agents: config.auth.agents,
  });
  registerPresenceRoute(app, ivr);
  registerManagerChoice(app, ivr);
  registerContextRoutes(app, deps);
  registerStreamRoute(app, deps);
  registerWriteRoutes(app, deps);

  app.notFound((c) => c.json(errorBody('not_found', 'no such route'), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError)
      return c.json(errorBody(error.code, error.message), error.status, error.headers);
    if (isStoreUnavailable(error)) {
      // The outbox and the sites retry on a 503; nothing was taken, so nothing is lost.
      logger.error('the store is unavailable', error);
      return c.json(
        errorBody('store_unavailable', 'the gateway cannot keep this right now; retry later'),
        503,
        { 'Retry-After': '5' },
      );
    }
    if (error instanceof HTTPException && error.status < 500)
      return c.json(errorBody('invalid_request', error.message), error.status);
    logger.error('unexpected error', error);
    return c.json(errorBody('internal_error', 'the gateway failed; its log has the details'), 500);
  });

  if (options.deliverInBackground !== false) delivery.start();
  const lostSubscriptions = store.onSubscriptionsLost(() => {
    // Entries published while the store was away were not heard: end the streams, and their
    // clients come back with Last-Event-ID and get them from the buffer.
    for (const stream of deps.openStreams) stream.end();
  });

  return {
    app,
    events,
    delivery,
    live,
    sources,
    store,
    ivr,
    async close() {
      const streams = [...deps.openStreams];
      for (const stream of streams) stream.end();
      await Promise.all(streams.map((stream) => stream.finished));
      lostSubscriptions();
      await delivery.stop();
      await deps.limiter.close();
      if (!options.store) await store.close();
    },
  };
}

/** A site key's principal id: its configured name, else a digest of the (public) key. */
function siteKeyId(site: GatewayConfig['auth']['siteKeys'][number]): string {
  return `site:${site.name ?? tokenDigest(site.key).toString('hex').slice(0, 10)}`;
}

/**
 * The HS256 secret of each site key, by its principal id. A key whose secret is not set (or too
 * short to be safe) is refused at every request, with one error line at start, instead of
 * letting anyone post for anyone.
 */
function siteKeySecrets(
  config: GatewayConfig,
  env: Record<string, string | undefined>,
  logger: Logger,
): Map<string, Uint8Array> {
  const secrets = new Map<string, Uint8Array>();
  for (const site of config.auth.siteKeys) {
    const secret = env[site.identitySecretEnv];
    if (!secret || Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
      logger.error(
        `auth.siteKeys: ${site.identitySecretEnv} must hold a secret of at least ${MIN_SECRET_BYTES} bytes; the site key is refused until it does`,
      );
      continue;
    }
    secrets.set(siteKeyId(site), new TextEncoder().encode(secret));
  }
  return secrets;
}
