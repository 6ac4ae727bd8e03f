// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallSession } from '../shared/call';
import type { Match } from '../shared/model';
import { defineSidebarElements } from './define';
import type { CcSidebarApp } from './sidebar-app.component';
import { type CcWaitingCalls, waitingCaller } from './waiting-calls.component';

const primary: CallSession = {
  id: 'call-1',
  rawNumber: '+34 612 345 678',
  identity: { namespace: 'phone', value: '+34612345678' },
  state: 'connected',
  detector: 'demo-softphone',
  ringingAt: '2025-03-01T10:00:00.000Z',
  connectedAt: '2025-03-01T10:00:05.000Z',
  updatedAt: '2025-03-01T10:00:05.000Z',
  lookup: { status: 'pending' },
};

const jane: Match = {
  profile: { id: 'cust-1', source: 'demo', displayName: 'Jane Doe', attributes: {} },
  activity: [],
  cases: [],
};

function ringing(id: string, matches: Match[] | null, raw = '020 7946 0123'): CallSession {
  return {
    ...primary,
    id,
    rawNumber: raw,
    identity: { namespace: 'phone', value: '+442079460123' },
    state: 'ringing',
    ...(matches
      ? {
          lookup: {
            status: 'done',
            context: {
              identity: { namespace: 'phone', value: '+442079460123' },
              matches,
              fetchedAt: '2025-03-01T10:01:00.000Z',
              errors: [],
            },
          },
        }
      : { lookup: { status: 'pending' } }),
  };
}

beforeAll(() => defineSidebarElements());
afterEach(() => document.body.replaceChildren());

async function mount(source: () => Promise<CallSession[]>): Promise<CcWaitingCalls> {
  const element = document.createElement('cc-waiting-calls') as CcWaitingCalls;
  element.source = source;
  element.call = primary;
  document.body.append(element);
  await element.updateComplete;
  // The answer arrives after the first render; a tick lets it land.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await element.updateComplete;
  return element;
}

const text = (element: CcWaitingCalls) =>
  (element.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('waitingCaller', () => {
  it('names the caller when the lookup found exactly one, with the number', () => {
    expect(waitingCaller(ringing('c2', [jane]))).toBe('Jane Doe (+442079460123)');
  });

  it('gives the number alone while looking up, for a shared number, or an unknown caller', () => {
    expect(waitingCaller(ringing('c2', null))).toBe('+442079460123');
    expect(waitingCaller(ringing('c2', [jane, jane]))).toBe('+442079460123');
    expect(waitingCaller(ringing('c2', []))).toBe('+442079460123');
    expect(waitingCaller({ ...ringing('c2', null, 'jane@example.com'), identity: null })).toBe(
      'jane@example.com',
    );
  });
});

describe('cc-waiting-calls', () => {
  it('shows each waiting caller in a focusable status region', async () => {
    const element = await mount(async () => [ringing('c2', [jane])]);
    expect(text(element)).toBe('Another call is waiting: Jane Doe (+442079460123)');
    const region = element.shadowRoot?.querySelector('section');
    expect(region?.getAttribute('role')).toBe('status');
    expect(region?.getAttribute('tabindex')).toBe('0');
  });

  it('shows nothing when no call waits, and asks again when the call changes', async () => {
    let waiting: CallSession[] = [];
    const element = await mount(async () => waiting);
    expect(element.shadowRoot?.querySelector('section')).toBeNull();
    waiting = [ringing('c2', null)];
    element.call = { ...primary, updatedAt: '2025-03-01T10:00:09.000Z' };
    await element.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 0));
    await element.updateComplete;
    expect(text(element)).toBe('Another call is waiting: +442079460123');
  });

  it('keeps what it shows when the background does not answer', async () => {
    let fail = false;
    const element = await mount(async () => {
      if (fail) throw new Error('worker restarting');
      return [ringing('c2', [jane])];
    });
    fail = true;
    element.call = { ...primary };
    await element.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(text(element)).toContain('Jane Doe');
  });

  it("gets its source from the page, through the sidebar's root", async () => {
    const source = async () => [];
    const app = document.createElement('cc-sidebar-app') as CcSidebarApp;
    app.feed = { current: async () => null, subscribe: () => () => {} };
    app.waitingCalls = source;
    document.body.append(app);
    await app.updateComplete;
    const sidebar = app.shadowRoot?.querySelector('cc-sidebar');
    await sidebar?.updateComplete;
    const element = sidebar?.shadowRoot?.querySelector('cc-waiting-calls');
    expect(element?.source).toBe(source);
  });
});
