// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AfterCallEvent, OutboxStatus, WrapUpDraft } from '../shared/after-call';
import type { CallSession } from '../shared/call';
import { DEFAULT_CONFIG } from '../shared/config';
import type { Match } from '../shared/model';
import { defineSidebarElements } from './define';
import { createTranslator } from './i18n/catalog';
import type { OutboxApi } from './outbox-panel.component';
import type { CcWrapUp } from './wrap-up.component';
import type { WrapUpBackend } from './wrap-up-backend';

const call: CallSession = {
  id: 'call-1',
  rawNumber: '+44 20 7946 0123',
  identity: { namespace: 'phone', value: '+442079460123' },
  state: 'ended',
  detector: 'demo-softphone',
  ringingAt: '2025-03-01T10:00:00.000Z',
  connectedAt: '2025-03-01T10:00:05.000Z',
  endedAt: '2025-03-01T10:02:05.000Z',
  updatedAt: '2025-03-01T10:02:05.000Z',
  lookup: { status: 'pending' },
};

const match: Match = {
  profile: { id: 'cust-1', source: 'demo', displayName: 'Jane Doe', attributes: {} },
  activity: [],
  cases: [{ id: 'case-1', number: 'CAS-1042', title: 'Cracked drip tray' }],
};

const EMPTY_OUTBOX: OutboxStatus = { pending: 0, sent: 0, failed: 0, failedEvents: [] };

function fakeBackend(
  overrides: Partial<WrapUpBackend> = {},
  outboxOverrides: Partial<OutboxApi> = {},
) {
  const drafts: WrapUpDraft[] = [];
  const logged: AfterCallEvent[] = [];
  let retried = 0;
  const backend: WrapUpBackend = {
    load: async () => ({ draft: null, dispositions: DEFAULT_CONFIG.dispositions }),
    saveDraft: async (draft) => {
      drafts.push(draft);
    },
    logCall: async (event) => {
      logged.push(event);
      return { saved: true, duplicate: false };
    },
    ...overrides,
  };
  const outbox: OutboxApi = {
    status: async () => EMPTY_OUTBOX,
    subscribe: () => () => {},
    retryFailed: async () => {
      retried++;
      return { retried: 1 };
    },
    exportFailed: async () => [],
    ...outboxOverrides,
  };
  return { backend, outbox, drafts, logged, retried: () => retried };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(
  backend: WrapUpBackend,
  page: {
    call?: CallSession | null;
    outbox?: OutboxApi;
    match?: Match | null;
    language?: string;
  } = {},
) {
  const element = document.createElement('cc-wrap-up') as CcWrapUp;
  element.backend = backend;
  element.outbox = page.outbox;
  element.translator = createTranslator([page.language ?? 'en']);
  element.match = page.match === undefined ? match : page.match;
  element.call = page.call === undefined ? call : page.call;
  document.body.append(element);
  await settle();
  await element.updateComplete;
  await settle();
  await element.updateComplete;
  return element;
}

const root = (element: CcWrapUp) => element.shadowRoot as ShadowRoot;
const select = (element: CcWrapUp, name: string) =>
  root(element).querySelector(`[name="${name}"]`) as HTMLSelectElement & HTMLTextAreaElement;
const button = (element: CcWrapUp, text: string) =>
  [...root(element).querySelectorAll('button')].find((b) => b.textContent?.trim() === text);

function setField(element: CcWrapUp, name: string, value: string, type: 'input' | 'change') {
  const field = select(element, name);
  field.value = value;
  field.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
}

async function submit(element: CcWrapUp) {
  root(element)
    .querySelector('form')
    ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  for (let i = 0; i < 3; i++) {
    await settle();
    await element.updateComplete;
  }
}

beforeAll(() => defineSidebarElements());
afterEach(() => {
  document.body.replaceChildren();
});

describe('cc-wrap-up', () => {
  it('shows labelled controls, the call times and the record for an ended call', async () => {
    const element = await mount(fakeBackend().backend);
    const text = root(element).textContent ?? '';
    for (const label of ['Disposition', 'Notes', 'Follow-up date (optional)', 'Case'])
      expect(
        [...root(element).querySelectorAll('label')].some((l) => l.textContent?.includes(label)),
      ).toBe(true);
    expect(text).toContain('Jane Doe (demo)');
    expect(text).toContain('2:00');
    const options = [...select(element, 'disposition').querySelectorAll('option')].map(
      (o) => o.value,
    );
    expect(options).toEqual(['', ...DEFAULT_CONFIG.dispositions.map((d) => d.code)]);
  });

  it('keeps the draft as the agent types and logs the call with its times, record and case', async () => {
    const fake = fakeBackend();
    const element = await mount(fake.backend);
    setField(element, 'disposition', 'follow_up', 'change');
    setField(element, 'notes', 'Sending a new tray', 'input');
    setField(element, 'caseId', 'case-1', 'change');
    expect(fake.drafts.at(-1)).toMatchObject({
      callId: 'call-1',
      disposition: 'follow_up',
      caseId: 'case-1',
    });
    await submit(element);
    expect(fake.logged).toHaveLength(1);
    expect(fake.logged[0]).toMatchObject({
      callId: 'call-1',
      disposition: { code: 'follow_up', label: 'Follow-up needed' },
      notes: 'Sending a new tray',
      profile: { id: 'cust-1', source: 'demo', name: 'Jane Doe' },
      caseId: 'case-1',
      ringingAt: call.ringingAt,
      connectedAt: call.connectedAt,
      endedAt: call.endedAt,
      talkSeconds: 120,
    });
    expect(root(element).textContent).toContain('Saved. The call is logged');
  });

  it('asks for a disposition instead of logging without one', async () => {
    const fake = fakeBackend();
    const element = await mount(fake.backend);
    await submit(element);
    expect(fake.logged).toHaveLength(0);
    expect(root(element).querySelector('[role="alert"]')?.textContent).toContain(
      'Pick a disposition',
    );
  });

  it('brings back a saved draft', async () => {
    const draft: WrapUpDraft = {
      callId: 'call-1',
      disposition: 'escalated',
      notes: 'half written',
      followUpOn: '2025-03-08',
      caseId: '',
      updatedAt: call.endedAt as string,
    };
    const fake = fakeBackend({
      load: async () => ({ draft, dispositions: DEFAULT_CONFIG.dispositions }),
    });
    const element = await mount(fake.backend);
    expect(select(element, 'notes').value).toBe('half written');
    expect(select(element, 'disposition').value).toBe('escalated');
    expect(select(element, 'followUpOn').value).toBe('2025-03-08');
  });

  it('sends the same event id again when the first press was not confirmed', async () => {
    const ids: string[] = [];
    let fail = true;
    const fake = fakeBackend({
      logCall: async (event) => {
        ids.push(event.id);
        if (fail) throw new Error('worker restarting');
        return { saved: true, duplicate: false };
      },
    });
    const element = await mount(fake.backend);
    setField(element, 'disposition', 'resolved', 'change');
    await submit(element);
    expect(root(element).querySelector('[role="alert"]')?.textContent).toContain('Not saved yet');
    fail = false;
    await submit(element);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('offers "Wrap up now" during a call', async () => {
    const element = await mount(fakeBackend().backend, {
      call: { ...call, state: 'connected', endedAt: undefined } as CallSession,
    });
    expect(select(element, 'disposition')).toBeNull();
    button(element, 'Wrap up now')?.click();
    await element.updateComplete;
    expect(select(element, 'disposition')).not.toBeNull();
  });

  it('shows what the outbox holds, lists failed events and retries them', async () => {
    const status: OutboxStatus = {
      pending: 2,
      sent: 5,
      failed: 1,
      failedEvents: [
        {
          id: 'e1',
          loggedAt: call.endedAt as string,
          disposition: 'Resolved',
          error: 'The gateway answered 400.',
        },
      ],
      retryAt: '2025-03-01T10:10:00.000Z',
      lastError: 'The gateway answered 503.',
    };
    const fake = fakeBackend({}, { status: async () => status });
    const element = await mount(fake.backend, { call: null, outbox: fake.outbox });
    // The outbox is the options page's panel, shown compact below the wrap-up.
    const panel = root(element).querySelector('cc-outbox-panel')?.shadowRoot;
    const text = (panel?.textContent ?? '').replace(/\s+/g, ' ');
    expect(text).toContain('Outbox: 2 pending · 5 sent · 1 failed');
    expect(text).toContain('The gateway answered 503.');
    expect(text).toContain('Resolved: The gateway answered 400.');
    [...(panel?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent?.trim() === 'Retry refused events')
      ?.click();
    await settle();
    expect(fake.retried()).toBe(1);
  });
});

const sophie: Match = {
  profile: { id: 'cust-1006', source: 'demo', displayName: 'Sophie Martin', attributes: {} },
  activity: [],
  cases: [],
};

const checkbox = (element: CcWrapUp) =>
  root(element).querySelector<HTMLInputElement>('input[name="makeMeManager"]');

async function logWith(element: CcWrapUp, chooseManager: boolean) {
  setField(element, 'disposition', 'resolved', 'change');
  const box = checkbox(element);
  if (chooseManager && box) {
    box.checked = true;
    box.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }
  await submit(element);
}

describe('"Make me their manager" in the wrap-up', () => {
  it('is offered for a known customer, explained, and travels with the logged call', async () => {
    const fake = fakeBackend();
    const element = await mount(fake.backend, { match: sophie });
    const box = checkbox(element);
    expect(box?.closest('label')?.textContent).toContain('Make me their manager');
    const hint = root(element).getElementById(box?.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toContain('Shall I take your calls from now on?');
    await logWith(element, true);
    expect(fake.logged).toHaveLength(1);
    expect(fake.logged[0]?.makeMeManager).toBe(true);
  });

  it('is not chosen unless ticked, and names the manager the customer has now', async () => {
    const owned: Match = {
      ...sophie,
      profile: { ...sophie.profile, owner: { name: 'Priya Natarajan' } },
    };
    const fake = fakeBackend();
    const element = await mount(fake.backend, { match: owned });
    expect(root(element).textContent).toContain('Their manager now: Priya Natarajan');
    await logWith(element, false);
    expect(fake.logged[0]).not.toHaveProperty('makeMeManager');
  });

  it('is not offered for an unknown caller', async () => {
    const element = await mount(fakeBackend().backend, { match: null });
    expect(checkbox(element)).toBeNull();
  });

  it("speaks the agent's language", async () => {
    const element = await mount(fakeBackend().backend, { match: sophie, language: 'it' });
    expect(checkbox(element)?.closest('label')?.textContent).toContain('Diventa il suo referente');
  });
});
