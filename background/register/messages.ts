import { type AnsweredMessage, answer, MESSAGES, type MessageServices } from '../messages';
import type { BackgroundMessaging } from '../services';

export interface MessagesDeps extends MessageServices {
  messaging: BackgroundMessaging;
}

/**
 * Every message the worker answers, from the one table (background/messages.ts): each goes
 * through its sender check and parser before its handler.
 */
export function registerMessages(deps: MessagesDeps): void {
  for (const type of Object.keys(MESSAGES) as AnsweredMessage[])
    deps.messaging.onMessage(
      type,
      // The table's entry for `type` answers with `type`'s result (checked in messages.ts); the
      // library's per-message handler type cannot be spelled for a key that varies in a loop.
      ({ data, sender }) => answer(type, data, sender, deps) as never,
    );
}
