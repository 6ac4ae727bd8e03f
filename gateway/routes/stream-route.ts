import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { formatIdentity } from '../../shared/identity';
import type { Identity } from '../../shared/model';
import { profileIdentities } from '../profile-identities';
import { identityParam } from '../request-input';
import { callSource } from '../source-call';
import type { OpenStream, RouteDeps } from './route-deps';

export function registerStreamRoute(app: Hono, deps: RouteDeps): void {
  app.get('/v1/activity/stream', async (c) => {
    const identity = identityParam(c);
    const watched = await watchedIdentities(deps, identity, c.req.raw.signal);
    return streamSSE(c, async (stream) => {
      // Writes are chained so that events and heartbeats never interleave mid-message.
      let writes = Promise.resolve();
      const send = (write: () => Promise<unknown>) => {
        writes = writes.then(write).then(
          () => undefined,
          () => undefined,
        );
      };
      const unsubscribe = deps.live.subscribe(watched, (event) =>
        send(() => stream.writeSSE({ id: event.id, data: JSON.stringify(event) })),
      );
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
        await ended.promise;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
        await writes;
        await stream.close();
        deps.openStreams.delete(open);
        finished.resolve();
      }
    });
  });
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
  const outcomes = await Promise.all(
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

/** `Promise.withResolvers`, which Node 20 lacks. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}
