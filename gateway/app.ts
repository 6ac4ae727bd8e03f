import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { bearerAuth, tokenSet } from './auth';
import type { GatewayConfig } from './config';
import { allowedOrigin } from './cors-origins';
import { type EventStore, MemoryEventStore } from './event-store';
import { ApiError, errorBody } from './http-errors';
import { createIvrGateway, type IvrGateway } from './ivr/ivr-gateway';
import { type LiveBuffer, MemoryLiveBuffer } from './live-buffer';
import { oidcVerifier } from './oidc';
import { consoleLogger, type Logger, requestLog } from './request-log';
import { registerContextRoutes } from './routes/context-route';
import { registerIvrRoutes, registerManagerChoice } from './routes/ivr-routes';
import { registerPresenceRoute } from './routes/presence-route';
import type { RouteDeps } from './routes/route-deps';
import { registerStreamRoute } from './routes/stream-route';
import { registerWriteRoutes } from './routes/write-routes';
import { createSinkForwarder, type SinkForwarder } from './sink-forwarder';
import { createSources } from './sources/registry';
import type { Source } from './sources/source';
import type { Store } from './store/store';
import { createStore } from './store/store-config';

export const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface GatewayOptions {
  /** Where request lines and unexpected errors go; `silentLogger` in tests. */
  logger?: Logger;
  live?: LiveBuffer;
  events?: EventStore;
  /** Used instead of the sources the config names (tests inject fakes here). */
  sources?: Source[];
  heartbeatMs?: number;
  now?: () => Date;
  /** Used instead of the sinks the config names (tests point them at local servers). */
  sinks?: SinkForwarder;
  /** Used instead of the store the config names; the caller then closes it. */
  store?: Store;
}

export interface Gateway {
  app: Hono;
  events: EventStore;
  live: LiveBuffer;
  sources: readonly Source[];
  /** Where state shared by every replica lives (gateway/store/store.ts). */
  store: Store;
  /** The IVR lookup, agents' presence and managers chosen at wrap-up (gateway/ivr/). */
  ivr: IvrGateway;
  /** Ends open activity streams (and closes the store it made). */
  close(): Promise<void>;
}

/** The gateway as a Hono app (DESIGN.md, "Gateway HTTP API"), free of any server. */
export function createGateway(config: GatewayConfig, options: GatewayOptions = {}): Gateway {
  const logger = options.logger ?? consoleLogger;
  const now = options.now ?? (() => new Date());
  const store =
    options.store ?? createStore(config.store, { onProblem: (message) => logger.error(message) });
  const live = options.live ?? new MemoryLiveBuffer();
  const events = options.events ?? new MemoryEventStore();
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
  });
  const deps: RouteDeps = {
    sources,
    live,
    events,
    sinks: ivr.withManagerChoices(options.sinks ?? createSinkForwarder(config.sinks)),
    forwarding: new Map(),
    sourceTimeoutMs: config.sourceTimeoutMs,
    logger,
    now,
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    openStreams: new Set(),
    store,
    warmContext: (identity) => ivr.warmContext(identity),
  };
  const agentTokens = tokenSet([...config.auth.tokens, ...config.auth.agents.map((a) => a.token)]);
  const collectTokens = tokenSet([...config.auth.tokens, ...config.auth.collectTokens]);
  const verifyJwt = config.auth.oidc ? oidcVerifier(config.auth.oidc) : undefined;

  const app = new Hono();
  app.use(requestLog(logger));
  app.use(
    cors({
      origin: allowedOrigin(config.cors.origins),
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    }),
  );
  app.get('/healthz', (c) => c.json({ ok: true }));
  // Before the agents' authentication: IVR keys open /v1/ivr/* and nothing else.
  registerIvrRoutes(app, ivr);
  app.use(
    '/v1/*',
    bearerAuth(
      (c) =>
        c.req.method === 'POST' && c.req.path === '/v1/collect' ? collectTokens : agentTokens,
      verifyJwt,
    ),
  );
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json(errorBody('payload_too_large', 'the body is larger than 1 MB'), 413),
    }),
  );
  registerPresenceRoute(app, ivr);
  registerManagerChoice(app, ivr);
  registerContextRoutes(app, deps);
  registerStreamRoute(app, deps);
  registerWriteRoutes(app, deps);

  app.notFound((c) => c.json(errorBody('not_found', 'no such route'), 404));
  app.onError((error, c) => {
    if (error instanceof ApiError)
      return c.json(errorBody(error.code, error.message), error.status);
    if (error instanceof HTTPException && error.status < 500)
      return c.json(errorBody('invalid_request', error.message), error.status);
    logger.error('unexpected error', error);
    return c.json(errorBody('internal_error', 'the gateway failed; its log has the details'), 500);
  });

  return {
    app,
    events,
    live,
    sources,
    store,
    ivr,
    async close() {
      const streams = [...deps.openStreams];
      for (const stream of streams) stream.end();
      await Promise.all(streams.map((stream) => stream.finished));
      if (!options.store) await store.close();
    },
  };
}
