import type { ProtocolMap } from '../../shared/protocol';
import type { MessageServices } from '../messages';
import { type MessagesDeps, registerMessages, type TabPort } from '../register/messages';
import type { Sender } from '../senders';
import type { BackgroundMessaging } from '../services';

type Handler = (message: {
  id: number;
  type: string;
  timestamp: number;
  data: unknown;
  sender: Sender;
}) => unknown;

/**
 * The protocol as registrations see it, for their tests: handlers are kept by message type and
 * `deliver` calls one as @webext-core/messaging does (one handler per type, the sender beside the
 * data); what the worker sends is recorded.
 */
export function fakeMessaging() {
  const handlers = new Map<string, Handler>();
  const sent: { type: string; data: unknown; to?: unknown }[] = [];
  const onMessage = (type: string, handler: Handler) => {
    if (handlers.has(type)) throw new Error(`${type} has a handler already`);
    handlers.set(type, handler);
    return () => handlers.delete(type);
  };
  const sendMessage = async (type: string, data?: unknown, to?: unknown) => {
    sent.push({ type, data, ...(to === undefined ? {} : { to }) });
  };
  return {
    // The library's two generic signatures cannot be written by a plain function; these two
    // keep its behaviour (one handler per type, the sender beside the data) for the tests.
    messaging: { onMessage, sendMessage } as unknown as BackgroundMessaging,
    sent,
    types: () => [...handlers.keys()],
    /** Delivers a message to its handler; rejects as the sender would see a refusal. */
    async deliver<K extends keyof ProtocolMap>(
      type: K,
      data: Parameters<ProtocolMap[K]>[0],
      sender: Sender,
    ): Promise<Awaited<ReturnType<ProtocolMap[K]>>> {
      const handler = handlers.get(type);
      if (!handler) throw new Error(`no handler for ${type}`);
      const answer = await handler({ id: 1, type, timestamp: Date.now(), data, sender });
      return answer as Awaited<ReturnType<ProtocolMap[K]>>;
    },
  };
}

/** The extension's own identity in tests, and the senders a handler tells apart. */
export const SELF = {
  extensionId: 'own-extension',
  extensionOrigin: 'chrome-extension://own-extension/',
};
export const OWN_PAGE: Sender = {
  id: SELF.extensionId,
  url: `${SELF.extensionOrigin}options.html`,
};
export const OWN_CONTENT_SCRIPT: Sender = {
  id: SELF.extensionId,
  url: 'https://crm.example.com/record/1',
  tab: { id: 7, url: 'https://crm.example.com/record/1' },
};
/** A web page or another extension: never answered. */
export const STRANGER: Sender = { id: 'other-extension', url: 'https://evil.example.com/' };

/** A browser event WXT's fake leaves out (`permissions.onAdded`, ...): keeps and calls listeners. */
export function fakeEvent<Listener extends (...args: never[]) => unknown>() {
  const listeners: Listener[] = [];
  return {
    addListener: (listener: Listener) => void listeners.push(listener),
    hasListeners: () => listeners.length > 0,
    trigger: (...args: Parameters<Listener>) => listeners.map((listener) => listener(...args)),
  };
}

/**
 * The message table registered on a fake messaging with only the services (and of those, the
 * methods) a test hands in; a handler that reaches for another one fails the test.
 */
export function messagesWith(
  services: {
    [Service in keyof MessageServices]?: Partial<MessageServices[Service]>;
  },
) {
  const messages = fakeMessaging();
  const ports = fakeEvent<(port: TabPort) => void>();
  const given: Record<string, unknown> = {
    self: SELF,
    ...services,
    messaging: messages.messaging,
    ports,
  };
  // Stands for every service; those the test did not give throw when used.
  const all = new Proxy(given, {
    get(target, key) {
      if (typeof key === 'string' && key in target) return target[key];
      throw new Error(`the test gave no ${String(key)}`);
    },
  }) as unknown as MessagesDeps;
  registerMessages(all);
  return { ...messages, ports };
}
