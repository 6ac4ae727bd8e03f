import { formatIdentity } from '../../shared/identity';
import type { CallerContext, Identity } from '../../shared/model';
import { isRecord } from '../json-shape';
import { type IvrStore, parseStored } from './ivr-store';

/**
 * Callers' contexts that an IVR lookup fetched, kept in the shared store for `ivr.prefetchSeconds`
 * so that the agent's screen pop a few seconds later, on any replica, answers from here instead
 * of asking the sources again (the screen is warm before the agent answers).
 */
export class PrefetchedContexts {
  readonly #store: IvrStore;
  readonly #ttlMs: number;

  constructor(store: IvrStore, prefetchSeconds: number) {
    this.#store = store;
    this.#ttlMs = prefetchSeconds * 1000;
  }

  get enabled(): boolean {
    return this.#ttlMs > 0;
  }

  async get(identity: Identity): Promise<CallerContext | undefined> {
    if (!this.enabled) return undefined;
    return parseStored(await this.#store.get(key(identity)), toContext);
  }

  /** Keeps a complete context (every source answered); a partial one would hide a source. */
  async put(context: CallerContext): Promise<boolean> {
    if (!this.enabled || context.errors.length > 0) return false;
    await this.#store.set(key(context.identity), JSON.stringify(context), { ttlMs: this.#ttlMs });
    return true;
  }
}

function key(identity: Identity): string {
  return `prefetch:context:${formatIdentity(identity)}`;
}

function toContext(value: unknown): CallerContext | undefined {
  if (!isRecord(value) || !isRecord(value.identity)) return undefined;
  if (!Array.isArray(value.matches) || !Array.isArray(value.errors)) return undefined;
  if (typeof value.fetchedAt !== 'string') return undefined;
  // Written by this gateway from a CallerContext; the checks above catch a foreign value.
  return value as unknown as CallerContext;
}
