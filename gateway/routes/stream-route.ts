import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { formatIdentity } from '../../shared/identity';
import type { Identity, Match } from '../../shared/model';
import { principalOf } from '../auth';
import type { BufferedEvent } from '../live-buffer';
import { profileIdentities } from '../profile-identities';
import { identityParam } from '../request-input';
import { callSource, type SourceOutcome } from '../source-call';
import type { OpenStream, RouteDeps } from './route-deps';

/** How long an ending stream waits for its last writes to leave. */
const WRITES_GRACE_MS = 1000;

/** A buffer id: the store's counter, a decimal number. */
const BUFFER_ID = /^\d{1,20}$/;

export function registerStreamRoute(app: Hono, deps: RouteDeps): void {
  app.get('/v1/activity/stream', async (c) => {
    const identity = identityParam(c);
    const lastEventId = (c.req.header('Last-Event-ID') ?? '').trim();
    const watched = await watchedIdentities(deps, identity, c.req.raw.signal);
    const after = BUFFER_ID.test(lastEventId) ? await resumeAfter(deps, lastEventId) : undefined;
    // Followed before the response starts: a store that is down is a 503 (the client polls
    // meanwhile), and nothing appended from here on can slip between subscribing and sending.
    const early: BufferedEvent[] = [];
    let deliver = (buffered: BufferedEvent) => {
      early.push(buffered);
    };
    const subscription = await deps.live.follow(
      watched,
      after === undefined ? {} : { after },
      (e) => deliver(e),
    );
    const started = performance.now();
    let sent = 0;
    return streamSSE(c, async (stream) => {
      // Writes are chained so that events and heartbeats never interleave mid-message.
      let writes = Promise.resolve();
      const send = (write: () => Promise<unknown>) => {
        writes = writes.then(write).then(
          () => undefined,
          () => undefined,
        );
      };
      deliver = ({ bufferId, event }) => {
        sent += 1;
        send(() => stream.writeSSE({ id: bufferId, data: JSON.stringify(event) }));
      };
      const heartbeat = setInterval(
        () => send(() => stream.write(': heartbeat\n\n')),
        deps.heartbeatMs,
      );
      const ended = deferred();
      const finished = deferred();
      const open: OpenStream = { end: ended.resolve, finished: finished.promise };
      stream.onAbort(ended.resolve);
      if (stream.aborted) ended.resolve();
      deps.openStreams.add(open);
      try {
        // Tells the client the subscription is live: anything collected from now on arrives.
        send(() => stream.write(': subscribed\n\n'));
        for (const buffered of early.splice(0)) deliver(buffered);
        await ended.promise;
      } finally {
        clearInterval(heartbeat);
        await subscription.unsubscribe().catch(() => undefined);
        // A client that went away may leave a write pending for good (nothing drains it): give
        // the last writes a moment, never the gateway's shutdown or the stream's slot forever.
        await settledWithin(writes, WRITES_GRACE_MS);
        await settledWithin(stream.close(), WRITES_GRACE_MS);
        deps.openStreams.delete(open);
        deps.logger.info('stream ended', {
          principal: principalOf(c)?.id,
          identity: deps.hashIdentity(identity),
          events: sent,
          resumed: after !== undefined,
          seconds: Math.round((performance.now() - started) / 1000),
        });
        finished.resolve();
      }
    });
  });
}

/**
 * Where a reconnecting client resumes: after its last id, unless that id is ahead of the
 * buffer's own (the store was emptied since, a Redis without persistence restarted): then
 * everything the buffer holds is new to it.
 */
async function resumeAfter(deps: RouteDeps, lastEventId: string): Promise<string> {
  const head = await deps.live.head();
  return BigInt(lastEventId) > BigInt(head) ? '0' : lastEventId;
}

/**
 * The caller's own identity plus every phone and email of the profiles it matches, so a web
 * event collected under the caller's email reaches a stream opened for their phone number.
 */
async function watchedIdentities(
  deps: RouteDeps,
  identity: Identity,
  signal: AbortSignal,
): Promise<Identity[]> {
  // A caller the IVR looked up moments ago: its kept context names the profiles already.
  const warm = await deps.warmContext?.(identity);
  const outcomes: SourceOutcome<Match[]>[] = warm
    ? [{ ok: true, value: warm.matches }]
    : await Promise.all(
        deps.sources.map((source) =>
          callSource((s) => source.lookup(identity, s), deps.sourceTimeoutMs, signal),
        ),
      );
  const identities = new Map([[formatIdentity(identity), identity]]);
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const match of outcome.value) {
      for (const known of profileIdentities(match.profile))
        identities.set(formatIdentity(known), known);
    }
  }
  return [...identities.values()];
}

/** Waits for `work` (whatever it ends with) at most `ms`. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** `Promise.withResolvers`, which Node 20 lacks. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
