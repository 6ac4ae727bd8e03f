// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxStatus } from '../shared/after-call';
import { defineOptionsElements } from './define-options';
import type { CcOutboxPanel, OutboxApi } from './outbox-panel.component';

const EMPTY: OutboxStatus = { pending: 0, sent: 0, failed: 0, failedEvents: [] };

/** An outbox whose status the test changes, as the background's `outboxChanged` does. */
function fakeOutbox(first: OutboxStatus = EMPTY) {
  let listener: ((status: OutboxStatus) => void) | undefined;
  const api: OutboxApi = {
    status: async () => first,
    subscribe: (onChange) => {
      listener = onChange;
      return () => {
        listener = undefined;
      };
    },
    retryFailed: async () => ({ retried: 0 }),
    exportFailed: async () => [],
  };
  return { api, push: (status: OutboxStatus) => listener?.(status), listening: () => !!listener };
}

const settle = async (element: CcOutboxPanel) => {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await element.updateComplete;
  }
};
const text = (element: CcOutboxPanel) =>
  (element.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');

beforeAll(() => defineOptionsElements());
afterEach(() => document.body.replaceChildren());

describe('cc-outbox-panel', () => {
  it('follows an outbox handed to it after it connected, and its changes', async () => {
    const outbox = fakeOutbox();
    const element = document.createElement('cc-outbox-panel');
    element.compact = true;
    document.body.append(element);
    await settle(element);
    expect(element.shadowRoot?.querySelector('section')).toBeNull();
    element.api = outbox.api;
    await settle(element);
    expect(text(element)).toContain('Outbox: 0 pending · 0 sent · 0 failed');
    outbox.push({ ...EMPTY, pending: 3 });
    await settle(element);
    expect(text(element)).toContain('Outbox: 3 pending · 0 sent · 0 failed');
    element.remove();
    expect(outbox.listening()).toBe(false);
  });

  it('is a titled section of the options page, and a region named Outbox below the wrap-up', async () => {
    const page = document.createElement('cc-outbox-panel');
    page.api = fakeOutbox().api;
    const compact = document.createElement('cc-outbox-panel');
    compact.api = fakeOutbox().api;
    compact.compact = true;
    document.body.append(page, compact);
    await settle(page);
    await settle(compact);
    expect(page.shadowRoot?.querySelector('h2')?.textContent).toBe('Logged calls');
    expect(compact.shadowRoot?.querySelector('h2')).toBeNull();
    expect(compact.shadowRoot?.querySelector('section')?.getAttribute('aria-label')).toBe('Outbox');
    // The same words in both places.
    for (const element of [page, compact])
      expect(element.shadowRoot?.querySelector('[data-outbox-counts]')?.textContent).toContain(
        'Outbox:',
      );
  });
});
