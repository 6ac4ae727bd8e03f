import { isRecord } from '../json-shape';
import { type IvrStore, parseStored } from './ivr-store';

/** What an agent's extension reports (DESIGN: `POST /v1/presence`). */
export const PRESENCE_STATES = ['available', 'busy', 'wrap_up', 'offline'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

/**
 * An agent who heard nothing from their extension for this long counts as offline: the
 * extension repeats its state every minute (a `chrome.alarms` period), so one lost heartbeat is
 * forgiven and a closed laptop is not routed to for more than 90 s.
 */
export const PRESENCE_TTL_MS = 90_000;

/** Who an agent is: their OIDC `email` (or `sub`), or what `auth.agents` says of a static token. */
export interface AgentIdentity {
  email?: string;
  /** The agent's id where the CRM names owners by id (`auth.agents[].id`, or the OIDC `sub`). */
  id?: string;
  name?: string;
}

export interface PresenceRecord {
  state: PresenceState;
  /** ISO 8601: when the agent's extension reported it. */
  at: string;
  agent: AgentIdentity;
}

export function isPresenceState(value: unknown): value is PresenceState {
  return typeof value === 'string' && (PRESENCE_STATES as readonly string[]).includes(value);
}

/** The store keys an agent (or a customer's owner) is found under: by email, then by id. */
export function agentKeys(person: { email?: string | undefined; id?: string | undefined }) {
  const keys: string[] = [];
  if (person.email) keys.push(`presence:email:${person.email.trim().toLowerCase()}`);
  if (person.id) keys.push(`presence:id:${person.id}`);
  return keys;
}

/**
 * Agents' presence in the shared store, so that every replica routes by the same states. Each
 * report expires after `PRESENCE_TTL_MS`; a record older than that is offline even where the store
 * kept it longer.
 */
export class PresenceRegistry {
  readonly #store: IvrStore;
  readonly #now: () => number;

  constructor(store: IvrStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  async report(agent: AgentIdentity, state: PresenceState): Promise<PresenceRecord> {
    const record: PresenceRecord = { state, at: new Date(this.#now()).toISOString(), agent };
    const value = JSON.stringify(record);
    await Promise.all(
      agentKeys(agent).map((key) => this.#store.set(key, value, { ttlMs: PRESENCE_TTL_MS })),
    );
    return record;
  }

  /** The newest report of the person (found by email or id); offline when none is recent. */
  async stateOf(person: {
    email?: string | undefined;
    id?: string | undefined;
  }): Promise<PresenceRecord | { state: 'offline' }> {
    const keys = agentKeys(person);
    if (keys.length === 0) return { state: 'offline' };
    const values = await this.#store.getMany(keys);
    const oldest = this.#now() - PRESENCE_TTL_MS;
    let newest: PresenceRecord | undefined;
    for (const value of values) {
      const record = parseStored(value, toPresenceRecord);
      if (!record || Date.parse(record.at) <= oldest) continue;
      if (!newest || Date.parse(record.at) > Date.parse(newest.at)) newest = record;
    }
    return newest ?? { state: 'offline' };
  }
}

function toPresenceRecord(value: unknown): PresenceRecord | undefined {
  if (!isRecord(value) || !isPresenceState(value.state) || typeof value.at !== 'string')
    return undefined;
  if (Number.isNaN(Date.parse(value.at)) || !isRecord(value.agent)) return undefined;
  const agent: AgentIdentity = {};
  for (const key of ['email', 'id', 'name'] as const) {
    const text = value.agent[key];
    if (typeof text === 'string') agent[key] = text;
  }
  return { state: value.state, at: value.at, agent };
}
