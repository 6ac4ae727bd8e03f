// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallSession } from '../shared/call';
import type { Conversation, ConversationResult, ConversationState } from '../shared/conversation';
import type { Match } from '../shared/model';
import type { CcConversation } from './conversation.component';
import type { ConversationBackend } from './conversation-backend';
import { defineSidebarElements } from './define';
import type { CcHandoffNote } from './handoff-note.component';
import { createTranslator } from './i18n/catalog';
import type { CcSidebar } from './sidebar.component';

const now = Date.now();
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
const MARCO = { key: 'marco@example.com', name: 'Marco Rossi' };
const ALEX = { key: 'alex@example.com', name: 'Alex Agent' };

const customer = (id: string, name: string): Match => ({
  profile: { id, source: 'demo', displayName: name, attributes: {} },
  activity: [],
  cases: [],
});

const call: CallSession = {
  id: 'call-1',
  rawNumber: '020 7946 0456',
  identity: { namespace: 'phone', value: '+442079460456' },
  state: 'connected',
  detector: 'demo-softphone',
  ringingAt: ago(3),
  connectedAt: ago(3),
  updatedAt: ago(1),
  lookup: {
    status: 'done',
    context: {
      identity: { namespace: 'phone', value: '+442079460456' },
      matches: [customer('tom', 'Tom Baker'), customer('tessa', 'Tessa Baker')],
      fetchedAt: ago(1),
      errors: [],
    },
  },
  pickedProfileId: 'tessa',
};

function conversation(change: Partial<Conversation> = {}): Conversation {
  return {
    id: 'conv-1',
    startedAt: ago(5),
    expiresAt: new Date(now + 86_400_000).toISOString(),
    callIds: [],
    participants: [
      {
        ...MARCO,
        role: 'agent',
        joinedAt: ago(5),
        seenAt: ago(2),
        leftAt: ago(2),
        handedOver: true,
      },
      { ...ALEX, role: 'agent', joinedAt: ago(1), seenAt: ago(0) },
    ],
    notes: [],
    handoffs: [
      {
        id: 'h1',
        at: ago(2),
        by: MARCO,
        note: 'Wants the refund today',
        picked: { profileId: 'tessa', name: 'Tessa Baker', by: MARCO, at: ago(4) },
        wrapUp: { disposition: 'follow_up', dispositionLabel: 'Follow-up needed', notes: 'refund' },
      },
    ],
    picked: { profileId: 'tessa', name: 'Tessa Baker', by: MARCO, at: ago(4) },
    ...change,
  };
}

const asAlex = (c: Conversation, handedOver = false): ConversationState => ({
  callId: 'call-1',
  answer: { conversation: c, you: { ...ALEX, role: 'agent', supervisor: false } },
  handedOver,
});

beforeAll(() => defineSidebarElements());
afterEach(() => document.body.replaceChildren());

const words = (root: ShadowRoot | null | undefined) =>
  (root?.textContent ?? '').replace(/\s+/g, ' ').trim();

function recordingBackend() {
  const sent: unknown[][] = [];
  let answer: ConversationResult = { ok: true };
  const backend: ConversationBackend = {
    addNote: async (callId, text) => {
      sent.push(['note', callId, text]);
      return answer;
    },
    handOver: async (callId, note) => {
      sent.push(['handOver', callId, note]);
      return answer;
    },
  };
  return {
    backend,
    sent,
    fail: (result: ConversationResult) => {
      answer = result;
    },
  };
}

async function notesPanel(state: ConversationState, monitoring = false) {
  const { backend, sent, fail } = recordingBackend();
  const element = document.createElement('cc-conversation') as CcConversation;
  element.backend = backend;
  element.state = state;
  element.call = call;
  element.monitoring = monitoring;
  document.body.append(element);
  await element.updateComplete;
  return { element, sent, fail };
}

const settle = async (element: { updateComplete: Promise<boolean> }) => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await element.updateComplete;
};

describe('cc-handoff-note', () => {
  it('shows who handed over and when, their note, the customer and the wrap-up so far', async () => {
    const element = document.createElement('cc-handoff-note') as CcHandoffNote;
    element.state = asAlex(conversation());
    element.call = call;
    document.body.append(element);
    await element.updateComplete;
    const heading = element.shadowRoot?.querySelector('h2');
    expect(heading?.textContent).toBe('From Marco Rossi, 2 min. ago');
    expect(words(element.shadowRoot)).toContain('Wants the refund today');
    expect(words(element.shadowRoot)).toContain('Customer: Tessa Baker');
    expect(words(element.shadowRoot)).toContain('Their wrap-up so far: Follow-up needed — refund');
  });

  it('says nothing to the agent who handed over, or where nobody did', async () => {
    const element = document.createElement('cc-handoff-note') as CcHandoffNote;
    element.state = {
      ...asAlex(conversation()),
      answer: {
        conversation: conversation(),
        you: { ...MARCO, role: 'agent', supervisor: false },
      },
    };
    document.body.append(element);
    await element.updateComplete;
    expect(words(element.shadowRoot)).toBe('');
    element.state = asAlex(conversation({ handoffs: [] }));
    await element.updateComplete;
    expect(words(element.shadowRoot)).toBe('');
  });

  it('speaks the agent’s language', async () => {
    const element = document.createElement('cc-handoff-note') as CcHandoffNote;
    element.translator = createTranslator(['it-IT']);
    element.state = asAlex(conversation());
    document.body.append(element);
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('h2')?.textContent).toMatch(/^Da Marco Rossi, /);
    expect(words(element.shadowRoot)).toContain('Cliente: Tessa Baker');
  });
});

describe('cc-conversation', () => {
  it('lists notes with who wrote them, and who else is on the call', async () => {
    const state = asAlex(
      conversation({
        notes: [{ id: 'n1', at: ago(1), by: MARCO, text: 'She is a loyal customer' }],
        participants: [
          { ...ALEX, role: 'agent', joinedAt: ago(1), seenAt: ago(0) },
          {
            key: 'sofia@example.com',
            name: 'Sofia Bianchi',
            role: 'monitor',
            joinedAt: ago(0),
            seenAt: ago(0),
          },
        ],
      }),
    );
    const { element } = await notesPanel(state);
    const log = element.shadowRoot?.querySelector('[role="log"]');
    expect(words(log?.getRootNode() as ShadowRoot)).toContain(
      'On this call: Sofia Bianchi (listening)',
    );
    expect(log?.querySelector('li .who')?.textContent).toBe('Marco Rossi');
    expect(log?.querySelector('li .text')?.textContent).toBe('She is a loyal customer');
    expect(log?.querySelector('li time')?.textContent).toBe('1 min. ago');
  });

  it('sends a note from the form and clears it; keeps it and says so when it fails', async () => {
    const { element, sent, fail } = await notesPanel(asAlex(conversation()));
    const field = element.shadowRoot?.querySelector<HTMLTextAreaElement>('textarea[name="note"]');
    const form = field?.form;
    if (!field || !form) throw new Error('no note field');
    field.value = '  Refund approved  ';
    form.requestSubmit();
    await settle(element);
    expect(sent).toEqual([['note', 'call-1', 'Refund approved']]);
    expect(field.value).toBe('');
    fail({ ok: false, error: 'down', problem: { code: 'gatewayTimeout', params: { seconds: 8 } } });
    field.value = 'Second';
    form.requestSubmit();
    await settle(element);
    expect(field.value).toBe('Second');
    expect(element.shadowRoot?.querySelector('[role="alert"]')?.textContent).toMatch(
      /^The note was not sent\. Try again\./,
    );
  });

  it('hands over with a note, and then says so', async () => {
    const state = asAlex(conversation({ handoffs: [] }));
    const { element, sent } = await notesPanel(state);
    const open = [...(element.shadowRoot?.querySelectorAll('button') ?? [])].find(
      (b) => b.textContent?.trim() === 'Hand over',
    );
    open?.click();
    await element.updateComplete;
    const note = element.shadowRoot?.querySelector<HTMLTextAreaElement>('textarea[name="handoff"]');
    if (!note?.form) throw new Error('no handover form');
    note.value = 'Over to you';
    note.form.requestSubmit();
    await settle(element);
    expect(sent).toEqual([['handOver', 'call-1', 'Over to you']]);
    element.state = { ...state, handedOver: true };
    await element.updateComplete;
    expect(element.shadowRoot?.querySelector('[role="status"]')?.textContent).toBe(
      'Handed over. Notes from the next agent still appear here.',
    );
  });

  it('offers a listening supervisor notes but no handover', async () => {
    const { element } = await notesPanel(asAlex(conversation()), true);
    const labels = [...(element.shadowRoot?.querySelectorAll('button') ?? [])].map((b) =>
      b.textContent?.trim(),
    );
    expect(labels).toEqual(['Add note']);
  });
});

describe('the sidebar with a shared conversation', () => {
  it('shows the customer the previous agent picked instead of the picker, and can pick again', async () => {
    const sidebar = document.createElement('cc-sidebar') as CcSidebar;
    sidebar.loaded = true;
    sidebar.call = call;
    sidebar.conversation = asAlex(conversation());
    document.body.append(sidebar);
    await sidebar.updateComplete;
    const root = sidebar.shadowRoot;
    const buttons = () =>
      [...(root?.querySelectorAll('button') ?? [])].map((b) => b.textContent?.trim());
    expect(buttons()).not.toContain('Tom Baker');
    expect(root?.querySelector('.picked-by')?.textContent).toContain(
      'Marco Rossi picked this customer',
    );
    expect(root?.querySelector('cc-caller-card')).not.toBeNull();
    [...(root?.querySelectorAll('button') ?? [])]
      .find((b) => b.textContent?.trim() === 'Pick another customer')
      ?.click();
    await sidebar.updateComplete;
    expect(buttons()).toEqual(expect.arrayContaining(['Tom Baker', 'Tessa Baker']));
  });

  it('keeps the picker for the agent who picked', async () => {
    const sidebar = document.createElement('cc-sidebar') as CcSidebar;
    sidebar.loaded = true;
    sidebar.call = call;
    sidebar.conversation = {
      ...asAlex(conversation()),
      answer: { conversation: conversation(), you: { ...MARCO, role: 'agent', supervisor: false } },
    };
    document.body.append(sidebar);
    await sidebar.updateComplete;
    const labels = [...(sidebar.shadowRoot?.querySelectorAll('button') ?? [])].map((b) =>
      b.textContent?.trim(),
    );
    expect(labels).toEqual(expect.arrayContaining(['Tom Baker', 'Tessa Baker']));
  });
});
