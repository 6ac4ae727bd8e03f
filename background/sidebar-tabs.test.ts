import { describe, expect, it } from 'vitest';
import { createSidebarTabs, type SessionArea, SIDEBAR_TABS_KEY } from './sidebar-tabs';

/** `storage.session` as the worker sees it: a map that outlives one worker instance. */
function sessionArea(): SessionArea & { items: Record<string, unknown> } {
  const items: Record<string, unknown> = {};
  return {
    items,
    async get(key) {
      return key in items ? { [key]: structuredClone(items[key]) } : {};
    },
    async set(values) {
      Object.assign(items, structuredClone(values));
    },
  };
}

function setUp(session = sessionArea()) {
  const told: [number, boolean][] = [];
  const tabs = createSidebarTabs({
    session,
    notify: async (tabId, shown) => {
      told.push([tabId, shown]);
    },
  });
  return { tabs, told, session };
}

describe('sidebar tabs', () => {
  it('shows the sidebar in the first CRM tab, and in a new one the agent is looking at', async () => {
    const { tabs, told } = setUp();
    expect(await tabs.register(1, false)).toEqual({ shown: true });
    expect(await tabs.register(2, true)).toEqual({ shown: true });
    expect(told).toEqual([
      [1, true],
      [1, false],
      [2, true],
    ]);
    expect(await tabs.shownIn()).toBe(2);
  });

  it('leaves the sidebar where it is when a CRM tab loads in the background', async () => {
    const { tabs } = setUp();
    await tabs.register(1, true);
    expect(await tabs.register(2, false)).toEqual({ shown: false });
    expect(await tabs.shownIn()).toBe(1);
  });

  it('moves the sidebar to the CRM tab the agent used last, not to other tabs', async () => {
    const { tabs, told } = setUp();
    await tabs.register(1, true);
    await tabs.register(2, true);
    told.length = 0;
    expect(await tabs.used(1)).toEqual({ shown: true });
    expect(told).toEqual([
      [2, false],
      [1, true],
    ]);
    told.length = 0;
    // A softphone tab is used: the sidebar stays in the CRM tab.
    expect(await tabs.used(9)).toEqual({ shown: false });
    expect(await tabs.used(1)).toEqual({ shown: true });
    expect(told).toEqual([]);
  });

  it('goes back to the CRM tab used before when the one showing it closes', async () => {
    const { tabs, told } = setUp();
    await tabs.register(1, true);
    await tabs.register(2, true);
    await tabs.register(3, true);
    await tabs.used(2);
    told.length = 0;
    await tabs.removed(2);
    expect(told).toEqual([[3, true]]);
    expect(await tabs.shownIn()).toBe(3);
    await tabs.removed(7);
    expect(await tabs.shownIn()).toBe(3);
  });

  it('keeps the order across a worker restart', async () => {
    const first = setUp();
    await first.tabs.register(1, true);
    await first.tabs.register(2, true);
    const restarted = setUp(first.session);
    expect(await restarted.tabs.shownIn()).toBe(2);
    await restarted.tabs.used(1);
    expect(first.session.items[SIDEBAR_TABS_KEY]).toEqual([1, 2]);
  });

  it('takes reports that arrive together one at a time', async () => {
    const { tabs } = setUp();
    await Promise.all([tabs.register(1, true), tabs.register(2, true), tabs.register(3, true)]);
    expect(await tabs.shownIn()).toBe(3);
    await Promise.all([tabs.used(1), tabs.removed(3)]);
    expect(await tabs.shownIn()).toBe(1);
  });

  it('ignores what is not a list of tab ids in storage', async () => {
    const session = sessionArea();
    session.items[SIDEBAR_TABS_KEY] = ['x', 4, null];
    const { tabs } = setUp(session);
    expect(await tabs.shownIn()).toBe(4);
  });
});
