import { isRecord } from '../../shared/json';
import { type PortReply, TAB_PORT } from '../../shared/tab-port';
import { type AnsweredMessage, answer, MESSAGES, type MessageServices } from '../messages';
import type { BackgroundMessaging } from '../services';

/** A port a content script opened (the subset of `runtime.Port` the worker uses). */
export interface TabPort {
  name: string;
  sender?: chrome.runtime.MessageSender;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  postMessage(message: PortReply): void;
}

export interface MessagesDeps extends MessageServices {
  messaging: BackgroundMessaging;
  /** `runtime.onConnect`: where content scripts open their port (shared/tab-port.ts). */
  ports: { addListener(listener: (port: TabPort) => void): void };
}

/**
 * Every message the worker answers, from the one table (background/messages.ts): each goes
 * through its sender check and parser before its handler, whether it came as a runtime message
 * (our pages) or on a content script's port (the port's sender is checked as a message's is).
 */
export function registerMessages(deps: MessagesDeps): void {
  for (const type of Object.keys(MESSAGES) as AnsweredMessage[])
    deps.messaging.onMessage(
      type,
      // The table's entry for `type` answers with `type`'s result (checked in messages.ts); the
      // library's per-message handler type cannot be spelled for a key that varies in a loop.
      ({ data, sender }) => answer(type, data, sender, deps) as never,
    );
  deps.ports.addListener((port) => {
    if (port.name !== TAB_PORT) return;
    port.onMessage.addListener((message) => {
      if (!isRecord(message) || typeof message.id !== 'number') return;
      const { id, type, data } = message;
      const reply = (sent: PortReply) => {
        try {
          port.postMessage(sent);
        } catch {
          // The frame went away meanwhile: nobody is left to answer.
        }
      };
      new Promise((resolve) => {
        if (typeof type !== 'string' || !Object.hasOwn(MESSAGES, type))
          throw new Error(`${String(type)}: no such message`);
        resolve(answer(type as AnsweredMessage, data, port.sender ?? {}, deps));
      }).then(
        (res) => reply({ id, res }),
        (error: unknown) =>
          reply({ id, err: { message: error instanceof Error ? error.message : String(error) } }),
      );
    });
  });
}
