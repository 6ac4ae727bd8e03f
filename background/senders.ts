/**
 * Who sent a runtime message, and the two sender rules the message table (background/messages.ts)
 * applies; nothing else checks senders.
 */

/** Who sent a runtime message (the subset of `runtime.MessageSender` we check). */
export interface Sender {
  id?: string;
  url?: string;
  tab?: { id?: number; url?: string };
  /** 0 for a tab's top document; another number for a frame in it. */
  frameId?: number;
}

export interface ExtensionIdentity {
  extensionId: string;
  /** `runtime.getURL('/')`: the origin of our own pages. */
  extensionOrigin: string;
}

/** A message a handler will not answer: from another extension, or from the wrong context. */
export class RefusedMessage extends Error {}

/** One of our content scripts, running in a tab (its page is not trusted, its tab id is). */
export function isOwnContentScript(
  sender: Sender,
  self: ExtensionIdentity,
): sender is Sender & { tab: { id: number } } {
  return sender.id === self.extensionId && typeof sender.tab?.id === 'number';
}

/** One of our extension pages (sidebar, side panel, options), never a web page. */
export function isOwnPage(sender: Sender, self: ExtensionIdentity): boolean {
  return sender.id === self.extensionId && (sender.url ?? '').startsWith(self.extensionOrigin);
}
