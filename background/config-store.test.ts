import { describe, expect, it, vi } from 'vitest';
import {
  AGENT_SETTINGS_KEY,
  type ConfigStorageApi,
  createConfigStore,
  POLICY_CACHE_KEY,
} from './config-store';

type ChangeListener = (changes: Record<string, { newValue?: unknown }>, area: string) => void;

/** The parts of browser.storage the store uses, in memory; `managed` is what the admin pushed. */
class FakeStorage implements ConfigStorageApi {
  readonly items = new Map<string, unknown>();
  managedValues: Record<string, unknown> | Error = {};
  managedReads = 0;
  localReads = 0;
  readonly listeners: ChangeListener[] = [];

  readonly local = {
    get: async (keys: string[]): Promise<Record<string, unknown>> => {
      this.localReads += 1;
      const found: Record<string, unknown> = {};
      for (const key of keys) if (this.items.has(key)) found[key] = this.items.get(key);
      return structuredClone(found);
    },
    set: async (items: Record<string, unknown>): Promise<void> => {
      for (const [key, value] of Object.entries(items)) this.items.set(key, structuredClone(value));
      // As the browser does: listeners hear of the change a little later, not within set().
      const changes = Object.fromEntries(
        Object.entries(items).map(([key, value]) => [key, { newValue: value }]),
      );
      setTimeout(() => this.fire(changes, 'local'), 0);
    },
  };

  readonly managed = {
    get: async (): Promise<Record<string, unknown>> => {
      this.managedReads += 1;
      if (this.managedValues instanceof Error) throw this.managedValues;
      return structuredClone(this.managedValues);
    },
  };

  readonly onChanged = {
    addListener: (cb: ChangeListener): void => {
      this.listeners.push(cb);
    },
  };

  fire(changes: Record<string, { newValue?: unknown }>, area: string): void {
    for (const listener of this.listeners) listener(changes, area);
  }
}

/** The store, told of storage changes as the worker's one listener tells it. */
function storeOn(storage: FakeStorage) {
  const store = createConfigStore(storage);
  storage.onChanged.addListener((changes, area) => store.storageChanged?.(changes, area));
  return store;
}

describe('config store', () => {
  it('starts from the cached policy before the managed storage answers', async () => {
    const storage = new FakeStorage();
    storage.items.set(POLICY_CACHE_KEY, { gatewayUrl: 'https://gw.cached.example' });
    storage.items.set(AGENT_SETTINGS_KEY, {
      gatewayUrl: 'https://gw.agent.example',
      defaultRegion: 'US',
    });
    storage.managedValues = { gatewayUrl: 'https://gw.fresh.example' };
    const store = storeOn(storage);
    const { config, origins } = await store.get();
    expect(config.gatewayUrl).toBe('https://gw.cached.example');
    expect(origins.gatewayUrl).toBe('policy');
    expect(config.defaultRegion).toBe('US');
    expect(origins.defaultRegion).toBe('agent');
    expect(storage.managedReads).toBe(0);
  });

  it('stores the managed values on refreshPolicy and applies them', async () => {
    const storage = new FakeStorage();
    storage.managedValues = { gatewayUrl: 'https://gw.policy.example', defaultRegion: 'de' };
    const store = storeOn(storage);
    await store.refreshPolicy();
    expect(storage.items.get(POLICY_CACHE_KEY)).toEqual({
      gatewayUrl: 'https://gw.policy.example',
      defaultRegion: 'de',
    });
    const { config, origins } = await store.get();
    expect(config.gatewayUrl).toBe('https://gw.policy.example');
    expect(config.defaultRegion).toBe('DE');
    expect(origins.defaultRegion).toBe('policy');
  });

  it('replaces a policy the admin withdrew', async () => {
    const storage = new FakeStorage();
    storage.items.set(POLICY_CACHE_KEY, { gatewayUrl: 'https://gw.old.example' });
    storage.managedValues = {};
    const store = storeOn(storage);
    await store.refreshPolicy();
    expect((await store.get()).origins.gatewayUrl).toBe('default');
  });

  it('falls back to no policy when managed storage fails', async () => {
    const storage = new FakeStorage();
    storage.managedValues = new Error('Managed storage manifest not found');
    storage.items.set(AGENT_SETTINGS_KEY, { gatewayUrl: 'https://gw.agent.example' });
    const store = storeOn(storage);
    await expect(store.refreshPolicy()).resolves.toBeUndefined();
    expect(storage.items.get(POLICY_CACHE_KEY)).toEqual({});
    const { config, origins } = await store.get();
    expect(config.gatewayUrl).toBe('https://gw.agent.example');
    expect(origins.gatewayUrl).toBe('agent');
  });

  it('reads the policy again when the admin changes it', async () => {
    const storage = new FakeStorage();
    storage.managedValues = { gatewayUrl: 'https://gw.one.example' };
    const store = storeOn(storage);
    await store.refreshPolicy();
    expect(storage.listeners).toHaveLength(1);

    storage.managedValues = { gatewayUrl: 'https://gw.two.example' };
    storage.fire({ gatewayUrl: { newValue: 'https://gw.two.example' } }, 'managed');
    await vi.waitFor(async () => {
      expect((await store.get()).config.gatewayUrl).toBe('https://gw.two.example');
    });
    expect(storage.managedReads).toBe(2);
  });

  it('does not read the policy again for changes in other areas', async () => {
    const storage = new FakeStorage();
    storeOn(storage);
    storage.fire({ [AGENT_SETTINGS_KEY]: { newValue: {} } }, 'local');
    storage.fire({ anything: { newValue: 1 } }, 'session');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(storage.managedReads).toBe(0);
  });

  it('applies the agent settings as soon as they are stored', async () => {
    const storage = new FakeStorage();
    const store = storeOn(storage);
    expect((await store.get()).config.defaultRegion).toBe('GB');
    await storage.local.set({ [AGENT_SETTINGS_KEY]: { defaultRegion: 'fr' } });
    await vi.waitFor(async () => expect((await store.get()).config.defaultRegion).toBe('FR'));
    // Saved through the store, they apply at once, before the change event arrives.
    await store.saveAgentSettings?.({ defaultRegion: 'it' });
    expect((await store.get()).config.defaultRegion).toBe('IT');
  });

  it('reads storage once for many asks, and again after a change', async () => {
    const storage = new FakeStorage();
    const store = storeOn(storage);
    await Promise.all([store.get(), store.get(), store.get()]);
    await store.get();
    expect(storage.localReads).toBe(1);
    storage.fire({ [AGENT_SETTINGS_KEY]: { newValue: {} } }, 'local');
    await store.get();
    expect(storage.localReads).toBe(2);
    // Changes to other keys (the call layout, the outbox) keep what was read.
    storage.fire({ sidebarFrame: { newValue: {} } }, 'local');
    await store.get();
    expect(storage.localReads).toBe(2);
  });

  it('does not keep a read that a change overtook', async () => {
    const storage = new FakeStorage();
    const store = storeOn(storage);
    const stale = store.get();
    storage.items.set(AGENT_SETTINGS_KEY, { defaultRegion: 'de' });
    storage.fire({ [AGENT_SETTINGS_KEY]: { newValue: { defaultRegion: 'de' } } }, 'local');
    await stale;
    expect((await store.get()).config.defaultRegion).toBe('DE');
  });

  it('reports invalid settings instead of applying them', async () => {
    const storage = new FakeStorage();
    storage.items.set(POLICY_CACHE_KEY, { gatewayUrl: 'http://gw.example.com' });
    const { config, problems } = await storeOn(storage).get();
    expect(config.gatewayUrl).toBe('http://127.0.0.1:8787');
    expect(problems).toMatchObject([{ origin: 'policy', key: 'gatewayUrl' }]);
  });
});

describe('waiting for a policy on a first start', () => {
  it('waits for nothing when an earlier policy is cached', async () => {
    const storage = new FakeStorage();
    storage.items.set(POLICY_CACHE_KEY, { gatewayUrl: 'https://old.example.com' });
    storage.managed.get = () => new Promise(() => {});
    await storeOn(storage).policyKnown?.(60_000);
  });

  it('waits for the first read when nothing is cached, then answers with the policy', async () => {
    const storage = new FakeStorage();
    let release: (policy: Record<string, unknown>) => void = () => {};
    storage.managed.get = () =>
      new Promise((resolve) => {
        release = resolve;
      });
    const store = storeOn(storage);
    let known = false;
    const waiting = store.policyKnown?.(60_000).then(() => {
      known = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(known).toBe(false);
    release({ gatewayUrl: 'https://gateway.example.com' });
    await waiting;
    expect((await store.get()).config.gatewayUrl).toBe('https://gateway.example.com');
  });

  it('knows the policy once a read found it cached, and not before (a cached caller waits till then)', async () => {
    const storage = new FakeStorage();
    storage.managed.get = () => new Promise(() => {});
    const store = storeOn(storage);
    await store.get();
    expect(store.knowsPolicy?.()).toBe(false);
    storage.items.set(POLICY_CACHE_KEY, {});
    const fresh = storeOn(storage);
    expect(fresh.knowsPolicy?.()).toBe(false);
    await fresh.get();
    expect(fresh.knowsPolicy?.()).toBe(true);
  });

  it('gives up after its wait: a browser without managed storage still looks callers up', async () => {
    vi.useFakeTimers();
    try {
      const storage = new FakeStorage();
      storage.managed.get = () => new Promise(() => {});
      const waiting = storeOn(storage).policyKnown?.(8000);
      await vi.advanceTimersByTimeAsync(8000);
      await waiting;
    } finally {
      vi.useRealTimers();
    }
  });
});
