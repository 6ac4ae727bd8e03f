/**
 * How a content script talks to the worker (docs/architecture.md, "Who talks to whom"): over one
 * long-lived port per frame, named `TAB_PORT`, instead of a message per sighting. A runtime
 * message is offered to every extension context (the sidebar's frames too) and opens a channel
 * each time; a port goes to the worker alone. The worker answers what comes on it through the
 * message table (background/messages.ts), with the port's sender, as it answers runtime messages.
 */
export const TAB_PORT = 'caller-context:tab';

/** A request on the port: a message of the `ProtocolMap`, numbered for its answer. */
export interface PortRequest {
  id: number;
  type: string;
  data: unknown;
}

/** The answer to request `id`: its result, or why it was refused or failed. */
export type PortReply = { id: number; res: unknown } | { id: number; err: { message: string } };
