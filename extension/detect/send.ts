import type { ProtocolMap } from '../../shared/protocol';

type Data<K extends keyof ProtocolMap> = Parameters<ProtocolMap[K]>[0];
type Reply<K extends keyof ProtocolMap> = ReturnType<ProtocolMap[K]>;

/**
 * Content-script side of the protocol in a few hundred bytes: sends one message in the wire
 * format of @webext-core/messaging (`{ id, type, data, timestamp }`, answered `{ res }` or
 * `{ err }`), which the background's `messaging.onMessage` handlers answer. The library itself,
 * with its error serializer, listeners and logging, is three times this in every page.
 * send.test.ts checks the round trip against the real library.
 */
export function sendToBackground<K extends keyof ProtocolMap>(
  type: K,
  data: Data<K>,
): Promise<Reply<K>> {
  const message = { id: Math.floor(Math.random() * 1e9), type, data, timestamp: Date.now() };
  return new Promise((resolve, reject) =>
    chrome.runtime.sendMessage(
      message,
      (reply?: { res?: Reply<K>; err?: { message?: string } }) => {
        const lost = chrome.runtime.lastError;
        if (lost) reject(new Error(lost.message));
        else if (!reply) reject(new Error('No response'));
        else if (reply.err != null)
          reject(new Error(reply.err.message ?? 'The background refused'));
        else resolve(reply.res as Reply<K>);
      },
    ),
  );
}
