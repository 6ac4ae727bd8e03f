import { type ResolvedConfig, resolveConfig } from '../shared/config';

/** The parts of `browser.storage` the config needs, so tests can hand in a fake. */
export interface ConfigStorageApi {
  local: {
    get(keys: string[]): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  managed: { get(): Promise<Record<string, unknown>> };
}

/** The agent's own settings (the options page writes them). */
export const AGENT_SETTINGS_KEY = 'settings';
/**
 * The last policy seen. The first `storage.managed.get()` after a browser start takes seconds
 * (TOOLCHAIN.md; w3c/webextensions#547), so the worker starts from this copy and refreshes it.
 */
export const POLICY_CACHE_KEY = 'policyCache';

export interface ConfigStore {
  get(): Promise<ResolvedConfig>;
  /** Resolves once the policy has been read fresh at least once. */
  refreshPolicy(): Promise<void>;
  /**
   * Resolves when some policy is known: at once when an earlier read is cached, else when the
   * first read ends (at most `waitMs`). A call that rings in the seconds after a first install
   * is then looked up at the policy's gateway, not at the default one.
   */
  policyKnown?(waitMs?: number): Promise<void>;
  /** Whether the policy was read once already, so that `policyKnown` would not wait. */
  knowsPolicy?(): boolean;
  /** Stores the agent's own settings; the next `get` applies them. */
  saveAgentSettings?(settings: Record<string, unknown>): Promise<void>;
  /**
   * A `storage.onChanged` event, handed on by the worker's one listener (background/register/
   * config-changes.ts) before anything else hears of it: a changed policy is read again, and the
   * kept config is forgotten when what it is made of changed.
   */
  storageChanged?(changes: Record<string, unknown>, area: string): void;
}

export function createConfigStore(storage: ConfigStorageApi): ConfigStore {
  // Reads run one after another, so an older policy can never overwrite a newer one.
  let reading: Promise<void> = Promise.resolve();
  let firstRead: Promise<void> | undefined;
  let policySeen = false;
  const readPolicy = (): Promise<void> => {
    reading = reading.then(readPolicyNow);
    firstRead ??= reading;
    return reading;
  };
  const readPolicyNow = async () => {
    try {
      const policy = await storage.managed.get();
      await storage.local.set({ [POLICY_CACHE_KEY]: policy });
    } catch {
      // No managed storage (no schema, Firefox without policy): agent settings and defaults rule.
      await storage.local.set({ [POLICY_CACHE_KEY]: {} });
    }
    forget();
  };
  // One screen pop asks for the config several times (placement, lookup, audit, live activity):
  // the resolved config is kept until either of its keys changes. Only a copy of what storage
  // holds, and a new worker reads storage again, so nothing lives only in memory.
  let memo: Promise<ResolvedConfig> | undefined;
  const forget = () => {
    memo = undefined;
  };
  return {
    storageChanged(changes, area) {
      if (area === 'managed') void readPolicy();
      if (area === 'local' && (AGENT_SETTINGS_KEY in changes || POLICY_CACHE_KEY in changes))
        forget();
    },
    get() {
      if (memo) return memo;
      const read = storage.local.get([AGENT_SETTINGS_KEY, POLICY_CACHE_KEY]).then((stored) => {
        if (stored[POLICY_CACHE_KEY] !== undefined) policySeen = true;
        return resolveConfig({
          policy: stored[POLICY_CACHE_KEY],
          agent: stored[AGENT_SETTINGS_KEY],
        });
      });
      // A change while reading forgets this read too: it answers its own callers, no later ones.
      memo = read;
      read.catch(() => {
        if (memo === read) memo = undefined;
      });
      return read;
    },
    refreshPolicy: readPolicy,
    knowsPolicy: () => policySeen,
    async policyKnown(waitMs = 8000) {
      // Once known, always known (a policy cache is never removed): no storage read per lookup.
      if (policySeen) return;
      const cached = await storage.local.get([POLICY_CACHE_KEY]);
      if (cached[POLICY_CACHE_KEY] !== undefined) {
        policySeen = true;
        return;
      }
      const read = firstRead ?? readPolicy();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        read.catch(() => {}),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitMs);
        }),
      ]);
      clearTimeout(timer);
    },
    async saveAgentSettings(settings) {
      await storage.local.set({ [AGENT_SETTINGS_KEY]: settings });
      // Not waiting for storage.onChanged: the options page asks again right after saving.
      forget();
    },
  };
}

/**
 * What a storage change means for the config: the policy (`managed`, or its cached copy) or the
 * agent's own settings changed. Not the page settings' own write, nor layouts, drafts or session
 * data: only what the config is made of.
 */
export function configChange(
  changes: Record<string, unknown>,
  area: string,
): { config: boolean; agentOrPolicy: boolean } {
  const agentOrPolicy = area === 'managed' || (area === 'local' && AGENT_SETTINGS_KEY in changes);
  const config = agentOrPolicy || (area === 'local' && POLICY_CACHE_KEY in changes);
  return { config, agentOrPolicy };
}
