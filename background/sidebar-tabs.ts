/** Where the background keeps the CRM tabs, most recently used first (the worker restarts). */
export const SIDEBAR_TABS_KEY = 'sidebarTabs';

export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export interface SidebarTabsDeps {
  /** `storage.session`: survives a worker restart, not a browser restart (tab ids do not either). */
  session: SessionArea;
  /** Tells a CRM tab whether it shows the sidebar now (rejects when the tab is gone). */
  notify(tabId: number, shown: boolean): Promise<unknown>;
}

/**
 * The sidebar shows in one CRM tab: the one the agent used last. Every CRM tab registers when its
 * content script starts; focusing, clicking or typing in a CRM tab (or switching to it) moves the
 * sidebar there, and the other CRM tabs show a slim "shown in another tab" button instead.
 */
export function createSidebarTabs(deps: SidebarTabsDeps) {
  // One change at a time: two tabs reporting at once must not both read the old list.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(change: () => Promise<T>): Promise<T> => {
    const next = queue.then(change, change);
    queue = next.catch(() => {});
    return next;
  };

  const load = async (): Promise<number[]> => {
    const stored = (await deps.session.get(SIDEBAR_TABS_KEY))[SIDEBAR_TABS_KEY];
    return Array.isArray(stored) ? stored.filter((id): id is number => Number.isInteger(id)) : [];
  };

  /** Saves the new order and tells the tabs whose state changed. */
  const save = async (before: number[], after: number[]): Promise<void> => {
    await deps.session.set({ [SIDEBAR_TABS_KEY]: after });
    const wasShown = before[0];
    const nowShown = after[0];
    if (wasShown === nowShown) return;
    const told: Promise<unknown>[] = [];
    if (wasShown !== undefined && after.includes(wasShown))
      told.push(deps.notify(wasShown, false).catch(() => {}));
    if (nowShown !== undefined) told.push(deps.notify(nowShown, true).catch(() => {}));
    await Promise.all(told);
  };

  const moveToFront = (tabs: number[], tabId: number) => [
    tabId,
    ...tabs.filter((id) => id !== tabId),
  ];

  return {
    /**
     * A CRM tab's content script started. It shows the sidebar when no other CRM tab does, or when
     * the agent is looking at it (a CRM tab just opened or reloaded in front of them).
     */
    register(tabId: number, inFront: boolean): Promise<{ shown: boolean }> {
      return serial(async () => {
        const tabs = await load();
        const others = tabs.filter((id) => id !== tabId);
        const after = inFront || others.length === 0 ? [tabId, ...others] : [...others, tabId];
        await save(tabs, after);
        return { shown: after[0] === tabId };
      });
    },

    /** The agent used a tab (switched to it, focused its window, clicked or typed in it). */
    used(tabId: number): Promise<{ shown: boolean }> {
      return serial(async () => {
        const tabs = await load();
        // A tab that is not a CRM tab (a softphone, a web page) leaves the sidebar where it is.
        if (!tabs.includes(tabId)) return { shown: false };
        await save(tabs, moveToFront(tabs, tabId));
        return { shown: true };
      });
    },

    /** A tab closed or left the CRM: the sidebar goes to the CRM tab used before it. */
    removed(tabId: number): Promise<void> {
      return serial(async () => {
        const tabs = await load();
        if (!tabs.includes(tabId)) return;
        await save(
          tabs,
          tabs.filter((id) => id !== tabId),
        );
      });
    },

    /** The tab showing the sidebar now, if any. */
    async shownIn(): Promise<number | undefined> {
      await queue;
      return (await load())[0];
    },
  };
}

export type SidebarTabs = ReturnType<typeof createSidebarTabs>;
