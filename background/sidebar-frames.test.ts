import { describe, expect, it } from 'vitest';
import { createSidebarFrames, SIDEBAR_FRAMES_KEY } from './sidebar-frames';
import type { SessionArea } from './sidebar-tabs';

function memorySession(): SessionArea & { items: Record<string, unknown> } {
  const items: Record<string, unknown> = {};
  return {
    items,
    get: async (key) => (key in items ? { [key]: structuredClone(items[key]) } : {}),
    set: async (changes) => {
      Object.assign(items, structuredClone(changes));
    },
  };
}

const SECRET = '0b6f2a1e-4c1d-4a8e-9d55-3f1c2b7a9e10';
const OTHER = '7d3c1f0a-2b4e-4c6d-8e9f-a1b2c3d4e5f6';
const framedIn = (tabId: number) => ({ tab: { id: tabId }, frameId: 7 });

describe('sidebar frames', () => {
  it('trusts a framed sidebar only with the secret our content script registered for its tab', async () => {
    const frames = createSidebarFrames(memorySession());
    await frames.register(3, SECRET);
    expect(await frames.trusted(framedIn(3), SECRET)).toBe(true);
    // A copy the CRM page framed itself, with a secret of its choosing.
    expect(await frames.trusted(framedIn(3), OTHER)).toBe(false);
    expect(await frames.trusted(framedIn(3), undefined)).toBe(false);
    // The same secret in another tab is not ours there.
    expect(await frames.trusted(framedIn(4), SECRET)).toBe(false);
  });

  it('trusts our pages that nobody frames: the side panel and a tab of our own', async () => {
    const frames = createSidebarFrames(memorySession());
    expect(await frames.trusted({}, undefined)).toBe(true);
    expect(await frames.trusted({ tab: { id: 3 }, frameId: 0 }, undefined)).toBe(true);
  });

  it('survives a worker restart (session storage), keeps a few reloads per tab, forgets closed tabs', async () => {
    const session = memorySession();
    const first = createSidebarFrames(session);
    const secrets = ['a', 'b', 'c', 'd', 'e'].map(
      (c) => `${c.repeat(8)}-0000-4000-8000-000000000000`,
    );
    for (const secret of secrets) await first.register(3, secret);
    const restarted = createSidebarFrames(session);
    expect(await restarted.trusted(framedIn(3), secrets[4])).toBe(true);
    expect(await restarted.trusted(framedIn(3), secrets[1])).toBe(true);
    expect(await restarted.trusted(framedIn(3), secrets[0])).toBe(false);
    await restarted.forget(3);
    expect(await restarted.trusted(framedIn(3), secrets[4])).toBe(false);
    expect(session.items[SIDEBAR_FRAMES_KEY]).toEqual({});
  });

  it('takes only secrets shaped like ours', () => {
    const frames = createSidebarFrames(memorySession());
    expect(frames.isSecret(SECRET)).toBe(true);
    expect(frames.isSecret('short')).toBe(false);
    expect(frames.isSecret('x'.repeat(65))).toBe(false);
    expect(frames.isSecret('<script>alert(1)</script>-padding')).toBe(false);
    expect(frames.isSecret(42)).toBe(false);
  });

  it('reads a damaged store as empty rather than failing', async () => {
    const session = memorySession();
    session.items[SIDEBAR_FRAMES_KEY] = ['not', 'a', 'map'];
    const frames = createSidebarFrames(session);
    expect(await frames.trusted(framedIn(3), SECRET)).toBe(false);
    await frames.register(3, SECRET);
    expect(await frames.trusted(framedIn(3), SECRET)).toBe(true);
  });
});
