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
  });
  return { permissions, happened, policyRead: () => policyRead() };
}

describe('config changes registration', () => {
  it('applies the policy once it has been read at the start', async () => {
    const { happened, policyRead } = setup('sidePanel');
    await settle();
    expect(happened).toEqual([]);
    policyRead();
    await settle();
    expect(happened).toEqual(['rule scripts synced', 'toolbar opens panel: true']);
  });

  it('registers the rule script afresh when origins are granted or taken back', async () => {
    const { permissions, happened } = setup('page');
    permissions.onAdded.trigger();
    await settle();
    expect(happened).toEqual(['rule scripts synced', 'toolbar opens panel: false']);
    permissions.onRemoved.trigger();
    await settle();
    expect(happened).toHaveLength(4);
  });

  it("follows the policy and the agent's settings, and drops contexts fetched under old settings", async () => {
    const { happened } = setup();
    await fakeBrowser.storage.local.set({ [AGENT_SETTINGS_KEY]: { defaultRegion: 'US' } });
    await settle();
    expect(happened).toEqual(['rule scripts synced', 'cache cleared', 'toolbar opens panel: true']);
  });

  it('ignores changes to the session area (tokens, sidebar tabs)', async () => {
    const { happened } = setup();
    await fakeBrowser.storage.session.set({ sidebarTabs: [3] });
    await settle();
    expect(happened).toEqual([]);
  });
});
