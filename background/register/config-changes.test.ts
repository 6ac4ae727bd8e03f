import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_CONFIG, resolveConfig, type SidebarPlacement } from '../../shared/config';
import { AGENT_SETTINGS_KEY } from '../config-store';
import { fakeEvent } from '../test-support/messaging';
import { registerConfigChanges } from './config-changes';

afterEach(() => fakeBrowser.reset());

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(placement: SidebarPlacement = 'sidePanel') {
  const permissions = { onAdded: fakeEvent(), onRemoved: fakeEvent() };
  const happened: string[] = [];
  // What the presence and retention are told, apart from the rest.
  const told: string[] = [];
  let policyRead: () => void = () => {};
  registerConfigChanges({
    browser: { permissions, storage: fakeBrowser.storage },
    sidePanel: {
      setPanelBehavior: async ({ openPanelOnActionClick }) =>
        void happened.push(`toolbar opens panel: ${openPanelOnActionClick}`),
    },
    config: {
      get: async () => ({
        ...resolveConfig({}),
        config: { ...DEFAULT_CONFIG, sidebarPlacement: placement },
      }),
      refreshPolicy: () =>
        new Promise<void>((resolve) => {
          policyRead = resolve;
        }),
      storageChanged: (_, area) => void told.push(`config store: ${area}`),
    },
    ruleScripts: {
      sync: async () => {
        happened.push('rule scripts synced');
        return [];
      },
    },
    contextService: { clear: async () => void happened.push('cache cleared') },
    pageSettings: {
      publish: async () => void happened.push('page settings published'),
    },
    presence: { sync: async (reason) => void told.push(`presence ${reason}`) },
    retention: { soon: () => void told.push('retention soon') },
  });
  return { permissions, happened, told, policyRead: () => policyRead() };
}

describe('config changes registration', () => {
  it('applies the policy once it has been read at the start', async () => {
    const { happened, policyRead } = setup('sidePanel');
    await settle();
    // The last known config reaches the pages at once, before the policy has been read.
    expect(happened).toEqual(['page settings published']);
    policyRead();
    await settle();
    expect(happened).toEqual([
      'page settings published',
      'page settings published',
      'rule scripts synced',
      'toolbar opens panel: true',
    ]);
  });

  it('registers the rule script afresh when origins are granted or taken back', async () => {
    const { permissions, happened } = setup('page');
    await settle();
    happened.length = 0;
    permissions.onAdded.trigger();
    await settle();
    expect(happened).toEqual([
      'page settings published',
      'rule scripts synced',
      'toolbar opens panel: false',
    ]);
    permissions.onRemoved.trigger();
    await settle();
    expect(happened).toHaveLength(6);
  });

  it("follows the policy and the agent's settings, and drops contexts fetched under old settings", async () => {
    const { happened } = setup();
    await settle();
    happened.length = 0;
    await fakeBrowser.storage.local.set({ [AGENT_SETTINGS_KEY]: { defaultRegion: 'US' } });
    await settle();
    expect(happened).toEqual([
      'page settings published',
      'rule scripts synced',
      'cache cleared',
      'toolbar opens panel: true',
    ]);
  });

  it('ignores what the config is not made of: the page settings it wrote, layouts', async () => {
    const { happened } = setup();
    await settle();
    happened.length = 0;
    await fakeBrowser.storage.local.set({ pageSettings: { crmMatches: [] } });
    await fakeBrowser.storage.local.set({ sidebarFrameLayout: { width: 400 } });
    await settle();
    expect(happened).toEqual([]);
  });

  it('ignores changes to the session area (tokens, sidebar tabs)', async () => {
    const { happened } = setup();
    await settle();
    happened.length = 0;
    await fakeBrowser.storage.session.set({ sidebarTabs: [3] });
    await settle();
    expect(happened).toEqual([]);
  });

  it('tells the state again when the agent or the policy changes the gateway or token', async () => {
    const { told } = setup();
    await settle();
    await fakeBrowser.storage.local.set({ [AGENT_SETTINGS_KEY]: { gatewayUrl: 'https://gw' } });
    await fakeBrowser.storage.managed.set({ gatewayUrl: 'https://gw2' });
    await fakeBrowser.storage.session.set({ 'presence.lastSent': {} });
    await fakeBrowser.storage.local.set({ somethingElse: {} });
    expect(told.filter((t) => t.startsWith('presence'))).toEqual([
      'presence change',
      'presence change',
    ]);
  });

  it('looks again soon for data past retention when the policy or the agent settings change, not for other storage', async () => {
    const { told } = setup();
    await settle();
    await fakeBrowser.storage.local.set({ sidebarLayout: { width: 400 } });
    expect(told.filter((t) => t === 'retention soon')).toEqual([]);
    await fakeBrowser.storage.local.set({ [AGENT_SETTINGS_KEY]: { callDataRetentionHours: 1 } });
    expect(told.filter((t) => t === 'retention soon')).toHaveLength(1);
    await fakeBrowser.storage.managed.set({ callDataRetentionHours: 2 });
    expect(told.filter((t) => t === 'retention soon')).toHaveLength(2);
  });

  it("clears cached contexts when the policy or the agent's settings change, not for the policy's cached copy", async () => {
    const { happened } = setup();
    await settle();
    happened.length = 0;
    await fakeBrowser.storage.local.set({ policyCache: {} });
    await settle();
    expect(happened).not.toContain('cache cleared');
    await fakeBrowser.storage.local.set({ [AGENT_SETTINGS_KEY]: { cacheTtlSeconds: 10 } });
    expect(happened.filter((h) => h === 'cache cleared')).toHaveLength(1);
    await fakeBrowser.storage.onChanged.trigger(
      { gatewayUrl: { newValue: 'https://x' } },
      'managed',
    );
    expect(happened.filter((h) => h === 'cache cleared')).toHaveLength(2);
  });

  it('tells the config store of every storage change first, so what follows reads the new config', async () => {
    const { told } = setup();
    await settle();
    await fakeBrowser.storage.session.set({ sidebarTabs: [3] });
    await fakeBrowser.storage.local.set({ [AGENT_SETTINGS_KEY]: { defaultRegion: 'US' } });
    expect(told).toEqual([
      'config store: session',
      'config store: local',
      'presence change',
      'retention soon',
    ]);
  });
});
