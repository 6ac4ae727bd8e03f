import { describe, expect, it } from 'vitest';
import { type AnsweredMessage, MESSAGES, type SenderRule } from '../messages';
import type { Sender } from '../senders';
import {
  fakeEvent,
  fakeMessaging,
  messagesWith,
  OWN_CONTENT_SCRIPT,
  OWN_PAGE,
  SELF,
  STRANGER,
} from '../test-support/messaging';
import { type MessagesDeps, registerMessages, type TabPort } from './messages';

const ANSWERED = Object.keys(MESSAGES) as AnsweredMessage[];

/** Senders each rule turns away: the other context of ours, a web page, another extension. */
const REFUSED: Record<SenderRule, Sender[]> = {
  page: [OWN_CONTENT_SCRIPT, STRANGER, { ...STRANGER, tab: { id: 9 } }],
  tab: [OWN_PAGE, STRANGER, { ...STRANGER, tab: { id: 9 } }, { id: SELF.extensionId }],
};

describe('the message table', () => {
  it('registers a handler for every message in the table, and only those', () => {
    const messages = fakeMessaging();
    const ports = fakeEvent<(port: TabPort) => void>();
    // No service is reached while registering.
    registerMessages({
      messaging: messages.messaging,
      ports,
      self: SELF,
    } as unknown as MessagesDeps);
    expect(messages.types().sort()).toEqual([...ANSWERED].sort());
    // And content scripts' ports, answered through the same table.
    expect(ports.hasListeners()).toBe(true);
  });

  it.each(ANSWERED)(
    'refuses %s from senders its rule turns away, before any service',
    async (type) => {
      // No services at all: a handler that ran would fail with "the test gave no ...".
      const { deliver } = messagesWith({});
      const entry = MESSAGES[type];
      for (const sender of REFUSED[entry.from]) {
        const answer = deliver(type, undefined as never, sender);
        if ('refused' in entry && entry.refused)
          await expect(answer).resolves.toEqual(entry.refused());
        else
          await expect(answer).rejects.toThrow(
            `${type}: ${entry.from === 'tab' ? 'not from a tab' : 'not from our pages'}`,
          );
      }
    },
  );
});
