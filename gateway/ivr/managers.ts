import { formatIdentity } from '../../shared/identity';
import type { Identity } from '../../shared/model';
import { isRecord } from '../json-shape';
import { type IvrStore, parseStored } from './ivr-store';

/** A customer's own manager, as the IVR names them and the sinks write them. */
export interface Manager {
  email?: string;
  id?: string;
  name?: string;
}

/** A manager an agent chose at wrap-up ("Make me their manager"), with when. */
export interface ManagerChoice {
  manager: Manager;
  /** ISO 8601. */
  at: string;
}

/**
 * How long a choice overrides the owner the sources report. The sinks write the choice to the
 * customer's platforms at once, which are the record after that; a source without a sink (the
 * demo's) keeps the choice for this long.
 */
export const MANAGER_CHOICE_TTL_MS = 90 * 24 * 3600_000;
/** How long the choice made with one after-call event is known by the event's id (its retries). */
export const EVENT_CHOICE_TTL_MS = 7 * 24 * 3600_000;

/** The store keys a customer's chosen manager is kept under: their profile, and the number. */
export function customerKeys(customer: {
  profile?: { source: string; id: string } | null;
  identity?: Identity | null;
}): string[] {
  const keys: string[] = [];
  if (customer.profile)
    keys.push(`manager:profile:${customer.profile.source}:${customer.profile.id}`);
  if (customer.identity) keys.push(`manager:identity:${formatIdentity(customer.identity)}`);
  return keys;
}

/**
 * Managers chosen at wrap-up, in the shared store: the next IVR lookup on any replica routes to
 * the new manager at once, before any platform has taken the change.
 */
export class ManagerChoices {
  readonly #store: IvrStore;
  readonly #now: () => number;

  constructor(store: IvrStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /** Records the choice for the customer, and for the after-call event that carried it. */
  async record(
    customer: Parameters<typeof customerKeys>[0],
    manager: Manager,
    eventId?: string,
  ): Promise<ManagerChoice> {
    const choice: ManagerChoice = { manager, at: new Date(this.#now()).toISOString() };
    const value = JSON.stringify(choice);
    const writes = customerKeys(customer).map((key) =>
      this.#store.set(key, value, { ttlMs: MANAGER_CHOICE_TTL_MS }),
    );
    if (eventId)
      writes.push(this.#store.set(eventKey(eventId), value, { ttlMs: EVENT_CHOICE_TTL_MS }));
    await Promise.all(writes);
    return choice;
  }

  /** The choice that came with this after-call event, if any. */
  async forEvent(eventId: string): Promise<ManagerChoice | undefined> {
    return parseStored(await this.#store.get(eventKey(eventId)), toChoice);
  }

  /** The newest choice among several customers' keys at once (one round trip). */
  async forCustomers(
    customers: readonly Parameters<typeof customerKeys>[0][],
  ): Promise<ManagerChoice | undefined> {
    const keys = [...new Set(customers.flatMap(customerKeys))];
    if (keys.length === 0) return undefined;
    return newest(await this.#store.getMany(keys));
  }
}

function eventKey(eventId: string): string {
  return `manager:event:${eventId}`;
}

function newest(values: readonly (string | undefined)[]): ManagerChoice | undefined {
  let found: ManagerChoice | undefined;
  for (const value of values) {
    const choice = parseStored(value, toChoice);
    if (choice && (!found || Date.parse(choice.at) > Date.parse(found.at))) found = choice;
  }
  return found;
}

function toChoice(value: unknown): ManagerChoice | undefined {
  if (!isRecord(value) || typeof value.at !== 'string' || !isRecord(value.manager))
    return undefined;
  const manager: Manager = {};
  for (const key of ['email', 'id', 'name'] as const) {
    const text = value.manager[key];
    if (typeof text === 'string' && text.length > 0) manager[key] = text;
  }
  if (!manager.email && !manager.id) return undefined;
  return { manager, at: value.at };
}
