import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { DEFAULT_CONFIG, type ExtensionConfig, resolveConfig } from '../shared/config';
import { PAGE_SETTINGS_KEY } from '../shared/page-settings';
import { createPageSettings } from './page-settings';

afterEach(() => fakeBrowser.reset());

function setUp(initial: Partial<ExtensionConfig>) {
  let current: ExtensionConfig = { ...DEFAULT_CONFIG, ...initial };
  const writes: unknown[] = [];
  const local = {
    get: (keys: string[]) => fakeBrowser.storage.local.get(keys),
    set: async (items: Record<string, unknown>) => {
      writes.push(items[PAGE_SETTINGS_KEY]);
      await fakeBrowser.storage.local.set(items);
    },
  };
  const pageSettings = createPageSettings({
    local,
    config: async () => ({ ...resolveConfig({}), config: current }),
  });
  return {
    pageSettings,
    writes,
    change(next: Partial<ExtensionConfig>) {
      current = { ...current, ...next };
    },
  };
}

const rule = { matches: ['https://phone.example.com/*'], selector: '.who' };

describe('page settings', () => {
  it('publishes the rules, CRM pages, tenants and placement content scripts follow', async () => {
    const { pageSettings } = setUp({ detectionRules: [rule], tenantMatches: ['https://a.b/*'] });
    await pageSettings.publish();
    expect((await fakeBrowser.storage.local.get(PAGE_SETTINGS_KEY))[PAGE_SETTINGS_KEY]).toEqual({
      detectionRules: [rule],
      crmMatches: DEFAULT_CONFIG.crmMatches,
      tenantMatches: ['https://a.b/*'],
      sidebarPlacement: 'page',
    });
  });

  it('writes only when something changed, so open tabs are not woken for nothing', async () => {
    const { pageSettings, writes, change } = setUp({});
    await pageSettings.publish();
    await pageSettings.publish();
    expect(writes).toHaveLength(1);
    change({ detectionRules: [rule] });
    await pageSettings.publish();
    expect(writes).toHaveLength(2);
    // Settings the pages do not use change nothing there.
    change({ cacheTtlSeconds: 5 });
    await pageSettings.publish();
    expect(writes).toHaveLength(2);
  });

  it('writes the newest settings last when changes come quickly', async () => {
    const { pageSettings, change } = setUp({});
    const first = pageSettings.publish();
    change({ sidebarPlacement: 'sidePanel' });
    const second = pageSettings.publish();
    await Promise.all([first, second]);
    const stored = (await fakeBrowser.storage.local.get(PAGE_SETTINGS_KEY))[PAGE_SETTINGS_KEY];
    expect(stored).toMatchObject({ sidebarPlacement: 'sidePanel' });
  });
});
