import type { SessionArea } from './sidebar-tabs';

/** Where the background keeps the secrets of the sidebar frames our content scripts mounted. */
export const SIDEBAR_FRAMES_KEY = 'sidebarFrames';

/** A tab reloads its CRM page now and then; older frames of it are long gone. */
const SECRETS_PER_TAB = 4;
const SECRET = /^[\w-]{16,64}$/;

/** Who asks, as `runtime.MessageSender` says: the tab and frame an extension page runs in. */
export interface FrameSender {
  tab?: { id?: number };
  frameId?: number;
}

/**
 * Which sidebar frames in CRM tabs are ours. The sidebar page is web-accessible (our content
 * script frames it in the CRM), so a CRM page can frame a copy of its own and, choosing the
 * copy's secret, act as its host. The content script tells the background the secret of the
 * frame it mounts before the frame loads; a framed sidebar page that shows a secret nobody
 * registered for its tab is a page's copy, and shows no caller at all.
 */
export function createSidebarFrames(session: SessionArea) {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(change: () => Promise<T>): Promise<T> => {
    const next = queue.then(change, change);
    queue = next.catch(() => {});
    return next;
  };
  const load = async (): Promise<Record<string, string[]>> => {
    const stored = (await session.get(SIDEBAR_FRAMES_KEY))[SIDEBAR_FRAMES_KEY];
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return {};
    const byTab: Record<string, string[]> = {};
    for (const [tab, secrets] of Object.entries(stored)) {
      if (Array.isArray(secrets))
        byTab[tab] = secrets.filter((s): s is string => typeof s === 'string');
    }
    return byTab;
  };

  return {
    /** Whether `secret` can be a frame's secret at all (what a content script sends is checked). */
    isSecret(secret: unknown): secret is string {
      return typeof secret === 'string' && SECRET.test(secret);
    },

    /** Our content script in `tabId` is about to mount a frame with this secret. */
    register(tabId: number, secret: string): Promise<void> {
      return serial(async () => {
        const byTab = await load();
        const known = byTab[tabId] ?? [];
        byTab[tabId] = [secret, ...known.filter((s) => s !== secret)].slice(0, SECRETS_PER_TAB);
        await session.set({ [SIDEBAR_FRAMES_KEY]: byTab });
      });
    },

    /**
     * Whether an extension page may show the caller: a page of its own (the side panel, a tab of
     * ours) always; a page framed in a tab only with a secret our content script registered there.
     */
    async trusted(sender: FrameSender, secret: unknown): Promise<boolean> {
      const tabId = sender.tab?.id;
      if (tabId === undefined || sender.frameId === 0) return true;
      if (typeof secret !== 'string') return false;
      await queue;
      return (await load())[tabId]?.includes(secret) ?? false;
    },

    /** The tab closed: its frames went with it. */
    forget(tabId: number): Promise<void> {
      return serial(async () => {
        const byTab = await load();
        if (!(tabId in byTab)) return;
        delete byTab[tabId];
        await session.set({ [SIDEBAR_FRAMES_KEY]: byTab });
      });
    },
  };
}

export type SidebarFrames = ReturnType<typeof createSidebarFrames>;
