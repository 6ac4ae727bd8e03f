import type { ProtocolMap } from '../../shared/protocol';
import { type PortReply, type PortRequest, TAB_PORT } from '../../shared/tab-port';

type Data<K extends keyof ProtocolMap> = Parameters<ProtocolMap[K]>[0];
type Reply<K extends keyof ProtocolMap> = ReturnType<ProtocolMap[K]>;

interface Waiting {
  request: PortRequest;
  settle(reply: PortReply): void;
  /** Sent again already, after a port closed before its answer. */
  again: boolean;
}

let port: chrome.runtime.Port | undefined;
const waiting = new Map<number, Waiting>();
let lastId = 0;

/** The open port to the worker, or a new one (which wakes a stopped worker). */
function open(): chrome.runtime.Port {
  if (port) return port;
  const opened = chrome.runtime.connect({ name: TAB_PORT });
  opened.onMessage.addListener((reply: PortReply) => {
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    entry?.settle(reply);
  });
  opened.onDisconnect.addListener(() => {
    // Read, so that Chrome does not report it unchecked: why is of no use here.
    void chrome.runtime.lastError;
    port = undefined;
    // The worker stopped (idle, updated, killed) before answering: what it may not have heard is
    // sent once more on a new port. A sighting heard twice changes nothing the second time.
    const unanswered = [...waiting.values()];
    waiting.clear();
    for (const entry of unanswered)
      if (entry.again)
        entry.settle({
          id: entry.request.id,
          err: { message: 'The background stopped before answering' },
        });
      else post(entry, true);
  });
  port = opened;
  return opened;
}

function post(entry: Waiting, again: boolean): void {
  entry.again = again;
  waiting.set(entry.request.id, entry);
  try {
    open().postMessage(entry.request);
  } catch (error) {
    // The extension was reloaded or removed: this frame can no longer reach it.
    waiting.delete(entry.request.id);
    entry.settle({ id: entry.request.id, err: { message: String(error) } });
  }
}

/**
 * Content-script side of the protocol, in a few hundred bytes: sends one message to the worker
 * on the frame's port (shared/tab-port.ts) and resolves with its answer, or rejects with the
 * reason it was refused or failed. send.test.ts checks it against the worker's message table.
 */
export function sendToBackground<K extends keyof ProtocolMap>(
  type: K,
  data: Data<K>,
): Promise<Reply<K>> {
  return new Promise((resolve, reject) =>
    post(
      {
        request: { id: ++lastId, type, data },
        settle: (reply) =>
          'err' in reply ? reject(new Error(reply.err.message)) : resolve(reply.res as Reply<K>),
        again: false,
      },
      false,
    ),
  );
}
