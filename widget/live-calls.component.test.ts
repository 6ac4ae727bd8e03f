// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallSession } from '../shared/call';
import type { LiveCallsResult, MonitorResult } from '../shared/conversation';
import { defineSidebarElements } from './define';
import { CcLiveCalls, type LiveCallsApi } from './live-calls.component';

const now = Date.now();
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();

const live: LiveCallsResult = {
  ok: true,
  live: {
    agents: [
      { key: 'marco@example.com', name: 'Marco Rossi', state: 'busy', at: ago(0) },
      { key: 'sofia@example.com', name: 'Sofia Bianchi', state: 'available', supervisor: true },
    ],
    calls: [
      {
        id: 'conv-1',
        startedAt: ago(4),
        identity: 'phone:+442079460123',
        summary: {
          name: 'Jane Doe',
          tier: 'Gold',
          since: ago(3),
          at: ago(0),
          insights: [{ kind: 'read_returns', times: 3, at: ago(2), events: ['e1', 'e2', 'e3'] }],
        },
        agents: [
          { key: 'marco@example.com', name: 'Marco Rossi', role: 'agent', joinedAt: ago(3) },
        ],
        notes: 0,
      },
    ],
  },
};

const session: CallSession = {
  id: 'monitor:conv-1',
  rawNumber: '+442079460123',
  identity: { namespace: 'phone', value: '+442079460123' },
  state: 'connected',
  detector: 'monitor',
  ringingAt: ago(3),
  connectedAt: ago(3),
  updatedAt: ago(0),
  lookup: {
    status: 'done',
    context: {
      identity: { namespace: 'phone', value: '+442079460123' },
      matches: [
        {
          profile: { id: 'jane', source: 'demo', displayName: 'Jane Doe', attributes: {} },
          activity: [],
          cases: [],
        },
      ],
      fetchedAt: ago(0),
      errors: [],
    },
  },
};

beforeAll(() => {
  defineSidebarElements();
  customElements.define('cc-live-calls', CcLiveCalls);
});
afterEach(() => document.body.replaceChildren());

async function mount(api: LiveCallsApi): Promise<CcLiveCalls> {
  const element = document.createElement('cc-live-calls') as CcLiveCalls;
  element.api = api;
  document.body.append(element);
  await element.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 0));
  await element.updateComplete;
  return element;
}

const words = (node: Element | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('cc-live-calls', () => {
  it('tells an agent without the supervisor role so, and shows nothing else', async () => {
    const element = await mount({
      list: async () => ({ ok: false, error: '403', reason: 'not_supervisor' }),
      monitor: async () => ({ ok: false, error: 'no' }),
    });
    const root = element.shadowRoot;
    expect(words(root?.querySelector('[role="alert"]'))).toBe(
      'Live calls are for supervisors: your sign-in does not carry the supervisor role.',
    );
    expect(root?.querySelector('table')).toBeNull();
  });

  it('lists each call with caller, tier, time on call and what the agent sees, and the team', async () => {
    const element = await mount({
      list: async () => live,
      monitor: async () => ({ ok: false, error: 'no' }),
    });
    const [calls, team] = [...(element.shadowRoot?.querySelectorAll('table') ?? [])];
    const row = calls?.querySelector('tbody tr');
    const cells = [...(row?.children ?? [])].map(words);
    expect(cells[0]).toBe('Jane Doe');
    expect(cells[1]).toBe('Gold');
    expect(cells[2]).toMatch(/^3:0\d$/);
    expect(cells[3]).toMatch(/returns/i);
    expect(cells[4]).toBe('Marco Rossi');
    expect(row?.querySelector('button')?.getAttribute('aria-label')).toBe(
      'Listen in on the call with Jane Doe',
    );
    expect([...(team?.querySelectorAll('tbody tr') ?? [])].map(words)).toEqual([
      'Marco Rossi On a call',
      'Sofia Bianchi supervisor Available',
    ]);
  });

  it('opens the call’s sidebar as a listener, without wrap-up, and goes back', async () => {
    const asked: string[] = [];
    const element = await mount({
      list: async () => live,
      monitor: async (id): Promise<MonitorResult> => {
        asked.push(id);
        return {
          ok: true,
          session,
          state: {
            callId: session.id,
            handedOver: false,
            answer: {
              conversation: {
                id: 'conv-1',
                startedAt: ago(4),
                expiresAt: ago(-1000),
                callIds: [],
                participants: [],
                notes: [],
                handoffs: [],
              },
              you: {
                key: 'sofia@example.com',
                name: 'Sofia Bianchi',
                role: 'monitor',
                supervisor: true,
              },
            },
          },
        };
      },
    });
    element.shadowRoot?.querySelector<HTMLButtonElement>('tbody button')?.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await element.updateComplete;
    expect(asked).toEqual(['conv-1']);
    const sidebar = element.shadowRoot?.querySelector('cc-sidebar');
    expect(sidebar?.monitoring).toBe(true);
    await sidebar?.updateComplete;
    expect(sidebar?.shadowRoot?.querySelector('cc-wrap-up')).toBeNull();
    expect(sidebar?.shadowRoot?.querySelector('cc-caller-card')).not.toBeNull();
    element.shadowRoot?.querySelector<HTMLButtonElement>('button.back')?.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('cc-sidebar')).toBeNull();
    expect(element.shadowRoot?.querySelectorAll('table')).toHaveLength(2);
  });
});
