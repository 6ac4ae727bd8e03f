import type { CallerContext, Identity } from '../../shared/model';
import type { DeliveryWorker } from '../delivery';
import type { EventLedger } from '../event-store';
import type { RateLimitsConfig } from '../limits-config';
import type { LiveBuffer } from '../live-buffer';
import type { PeerAddress, RateLimiter } from '../rate-limit';
import type { IdentityHasher, Logger } from '../request-log';
import type { SinkForwarder } from '../sink-forwarder';
import type { Source } from '../sources/source';
import type { Store } from '../store/store';

/** What the route handlers share, built once by `createGateway`. */
export interface RouteDeps {
  sources: readonly Source[];
  live: LiveBuffer;
  events: EventLedger;
  /** Where after-call events go on (none: the gateway only keeps them). */
  sinks: SinkForwarder;
  /** The configured sinks' ids: one delivery job per sink and event. */
  sinkIds: readonly string[];
  /** Delivers queued events; kicked when this replica queued one. */
  delivery: DeliveryWorker;
  limiter: RateLimiter;
  rateLimits: RateLimitsConfig;
  /** HS256 secrets of the site keys whose secret is set, by the key's principal id. */
  siteSecrets: ReadonlyMap<string, Uint8Array>;
  /** The socket's peer address, the runtime's way. */
  peerAddress?: PeerAddress;
  sourceTimeoutMs: number;
  logger: Logger;
  /** The keyed hash that names identities in log lines. */
  hashIdentity: IdentityHasher;
  now: () => Date;
  heartbeatMs: number;
  /** Open activity streams, so that shutdown can end them instead of waiting on clients. */
  openStreams: Set<OpenStream>;
  /** Shared state: memory (one process) or Redis (every replica); see gateway/store/store.ts. */
  store: Store;
  /** The context an IVR lookup kept for this caller (README, "IVR"), if there is one. */
  warmContext?: (identity: Identity) => Promise<CallerContext | undefined>;
}

export interface OpenStream {
  end(): void;
  /** Settles once the stream has unsubscribed and closed its response. */
  finished: Promise<void>;
}
