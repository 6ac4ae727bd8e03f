import { CONFIG_KEYS, isConfigKey, validateSetting } from '../shared/config';
import { parseIdentity } from '../shared/identity';
import type { ConnectionReport, SaveSettingsResult, SettingsView } from '../shared/protocol';
import { AGENT_SETTINGS_KEY, type ConfigStorageApi, type ConfigStore } from './config-store';
import type { Database } from './db';
import { type FetchLike, fetchCallerContext } from './gateway-client';

export interface SettingsServiceDeps {
  storage: Pick<ConfigStorageApi, 'local'>;
  config: ConfigStore;
  db: Promise<Database>;
  fetch?: FetchLike;
  now?: () => number;
}

/** What the options page reads and changes: the effective settings, a connection test, data. */
export function createSettingsService(deps: SettingsServiceDeps) {
  const now = deps.now ?? (() => performance.now());
  const fetchImpl: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init));

  return {
    async view(): Promise<SettingsView> {
      const { config, origins, problems } = await deps.config.get();
      return { config, origins, problems };
    },

    /**
     * Saves the agent's own values for the given keys (`null` resets a key to its default).
     * A key the policy sets is locked; an invalid value is refused with the reason.
     */
    async save(patch: unknown): Promise<SaveSettingsResult> {
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
        return { saved: false, problems: [{ key: '*', message: 'settings must be an object' }] };
      const { origins } = await deps.config.get();
      const stored = await deps.storage.local.get([AGENT_SETTINGS_KEY]);
      const current = stored[AGENT_SETTINGS_KEY];
      const next: Record<string, unknown> =
        typeof current === 'object' && current !== null ? { ...current } : {};
      const problems: SaveSettingsResult['problems'] = [];
      for (const [key, value] of Object.entries(patch)) {
        if (!isConfigKey(key)) {
          problems.push({ key, message: 'is not a setting' });
        } else if (origins[key] === 'policy') {
          problems.push({ key, message: 'is set by your administrator' });
        } else if (value === null) {
          delete next[key];
        } else {
          const valid = validateSetting(key, value);
          if (valid instanceof Error) problems.push({ key, message: valid.message });
          else next[key] = valid;
        }
      }
      if (problems.length > 0) return { saved: false, problems };
      if (deps.config.saveAgentSettings) await deps.config.saveAgentSettings(next);
      else await deps.storage.local.set({ [AGENT_SETTINGS_KEY]: next });
      return { saved: true, problems: [] };
    },

    /** Looks up a test identity through the gateway, as a real call would. */
    async testConnection(identityText: unknown): Promise<ConnectionReport> {
      const started = now();
      const elapsed = () => Math.round(now() - started);
      const identity = parseIdentity(typeof identityText === 'string' ? identityText.trim() : '');
      if (!identity.ok)
        return { ok: false, message: `Test identity: ${identity.error}`, sources: [], ms: 0 };
      const { config } = await deps.config.get();
      try {
        const context = await fetchCallerContext(config, identity.value, fetchImpl);
        const found = new Map<string, number>();
        for (const m of context.matches)
          found.set(m.profile.source, (found.get(m.profile.source) ?? 0) + 1);
        const sources = [
          ...[...found].map(([source, n]) => ({
            source,
            ok: true,
            message: n === 1 ? '1 match' : `${n} matches`,
          })),
          ...context.errors.map((e) => ({ source: e.source, ok: false, message: e.message })),
        ];
        const failing = context.errors.length;
        return {
          ok: failing === 0,
          message:
            failing === 0
              ? `Connected to ${config.gatewayUrl}: ${context.matches.length} match(es) for ${identityText}.`
              : `Connected to ${config.gatewayUrl}, but ${failing} source(s) failed.`,
          sources,
          ms: elapsed(),
        };
      } catch (error) {
        return {
          ok: false,
          message: error instanceof Error ? error.message : 'The test failed.',
          sources: [],
          ms: elapsed(),
        };
      }
    },

    /**
     * Deletes the customer data this browser holds (calls, cached profiles, drafts, audit), but
     * never after-call events still on their way: those belong to the platform, not to us.
     */
    async clearLocalData(): Promise<{ cleared: string[] }> {
      const db = await deps.db;
      const stores = [...db.objectStoreNames].filter((name) => !name.startsWith('outbox'));
      const tx = db.transaction(stores, 'readwrite');
      await Promise.all([...stores.map((name) => tx.objectStore(name).clear()), tx.done]);
      return { cleared: stores };
    },

    keys: CONFIG_KEYS,
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
