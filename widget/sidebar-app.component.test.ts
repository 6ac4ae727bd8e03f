// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clampFrameWidth, type FrameLayout } from '../shared/frame-host';
import type { CallFeed } from './call-feed.controller';
import { defineSidebarElements } from './define';
import type { FrameControls } from './frame-controls';
import type { CcSidebarApp } from './sidebar-app.component';

beforeAll(() => defineSidebarElements());
afterEach(() => {
  document.body.replaceChildren();
});

const feed: CallFeed = { current: async () => null, subscribe: () => () => {} };

/**
 * The content script's frame host, answering each layout change only when the test says so (a
 * busy CRM page answers slower than an agent presses keys).
 */
function slowHost() {
  let layout: FrameLayout = { collapsed: false, width: 360 };
  const waiting: (() => void)[] = [];
  const frame: FrameControls = {
    layout: () => layout,
    setLayout: (change) =>
      new Promise((resolve) =>
        waiting.push(() => {
          layout = {
            collapsed: change.collapsed ?? layout.collapsed,
            width: change.width === undefined ? layout.width : clampFrameWidth(change.width),
          };
          resolve(layout);
        }),
      ),
    open: () => true,
    watchColorScheme: () => null,
  };
  const answerAll = () => {
    for (const answer of waiting.splice(0)) answer();
  };
  return { frame, answerAll };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('the sidebar frame edge', () => {
  it('takes every key press as a step, however slowly the CRM page answers', async () => {
    const host = slowHost();
    const app = document.createElement('cc-sidebar-app') as CcSidebarApp;
    app.feed = feed;
    app.frame = host.frame;
    document.body.append(app);
    await settle();
    const edge = app.shadowRoot?.querySelector('[role="separator"]');
    if (!edge) throw new Error('no frame edge');
    const press = (key: string, shiftKey = false) =>
      edge.dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true }));
    press('ArrowLeft');
    press('ArrowLeft');
    press('ArrowLeft', true);
    await settle();
    // Shown at once, before the page answered: 360 + 16 + 16 + 64.
    expect(edge.getAttribute('aria-valuenow')).toBe('456');
    host.answerAll();
    await settle();
    expect(edge.getAttribute('aria-valuenow')).toBe('456');
  });
});
