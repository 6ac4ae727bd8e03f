import type { CallerContext, Identity } from '../../shared/model';
import type { EventStore } from '../event-store';
import type { LiveBuffer } from '../live-buffer';
import type { Logger } from '../request-log';
import type { SinkForwarder } from '../sink-forwarder';
import type { Source } from '../sources/source';
import type { Store } from '../store/store';

/** What the route handlers share, built once by `createGateway`. */
export interface RouteDeps {
  sources: readonly Source[];
  live: LiveBuffer;
  events: EventStore;
  /** Where after-call events go on (none: the gateway only keeps them). */
  sinks: SinkForwarder;
  /** Forwarding of one event id at a time, so two copies in flight cannot both forward it. */
  forwarding: Map<string, Promise<unknown>>;
  sourceTimeoutMs: number;
  logger: Logger;
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
