import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_CONFIG, resolveConfig, type SidebarPlacement } from '../../shared/config';
import { AGENT_SETTINGS_KEY } from '../config-store';
import { registerConfigChanges } from './config-changes';
import { fakeEvent } from './fakes';

afterEach(() => fakeBrowser.reset());

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(placement: SidebarPlacement = 'sidePanel') {
  const permissions = { onAdded: fakeEvent(), onRemoved: fakeEvent() };
  const happened: string[] = [];
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
  });
  return { permissions, happened, policyRead: () => policyRead() };
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
});
