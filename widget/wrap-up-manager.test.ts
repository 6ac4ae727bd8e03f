// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AfterCallEvent } from '../shared/after-call';
import type { CallSession } from '../shared/call';
import { DEFAULT_CONFIG } from '../shared/config';
import type { Match } from '../shared/model';
import { defineSidebarElements } from './define';
import { createTranslator } from './i18n/catalog';
import type { CcWrapUp } from './wrap-up.component';
import type { WrapUpBackend } from './wrap-up-backend';

const call: CallSession = {
  id: 'call-1',
  rawNumber: '+33 6 12 34 56 78',
  identity: { namespace: 'phone', value: '+33612345678' },
  state: 'ended',
  detector: 'demo-softphone',
  ringingAt: '2025-03-01T10:00:00.000Z',
  connectedAt: '2025-03-01T10:00:05.000Z',
  endedAt: '2025-03-01T10:02:05.000Z',
  updatedAt: '2025-03-01T10:02:05.000Z',
  lookup: { status: 'pending' },
};
const sophie: Match = {
  profile: { id: 'cust-1006', source: 'demo', displayName: 'Sophie Martin', attributes: {} },
  activity: [],
  cases: [],
};

const settle = async (element: CcWrapUp) => {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    await element.updateComplete;
  }
};

async function mount(match: Match | null, language = 'en') {
  const logged: AfterCallEvent[] = [];
  const backend: WrapUpBackend = {
    load: async () => ({ draft: null, dispositions: DEFAULT_CONFIG.dispositions }),
    saveDraft: async () => {},
    logCall: async (event) => {
      logged.push(event);
      return { saved: true, duplicate: false };
    },
  };
  const element = document.createElement('cc-wrap-up') as CcWrapUp;
  element.backend = backend;
  element.translator = createTranslator([language]);
  element.match = match;
  element.call = call;
  document.body.append(element);
  await settle(element);
  return { element, logged };
}

const root = (element: CcWrapUp) => element.shadowRoot as ShadowRoot;
const checkbox = (element: CcWrapUp) =>
  root(element).querySelector<HTMLInputElement>('input[name="makeMeManager"]');

async function logWith(element: CcWrapUp, chooseManager: boolean) {
  const disposition = root(element).querySelector<HTMLSelectElement>('select[name="disposition"]');
  if (!disposition) throw new Error('no disposition');
  disposition.value = 'resolved';
  disposition.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  const box = checkbox(element);
  if (chooseManager && box) {
    box.checked = true;
    box.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }
  root(element)
    .querySelector('form')
    ?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  await settle(element);
}

beforeAll(() => defineSidebarElements());
afterEach(() => {
  document.body.replaceChildren();
});

describe('"Make me their manager" in the wrap-up', () => {
  it('is offered for a known customer, explained, and travels with the logged call', async () => {
    const { element, logged } = await mount(sophie);
    const box = checkbox(element);
    expect(box?.closest('label')?.textContent).toContain('Make me their manager');
    const hint = root(element).getElementById(box?.getAttribute('aria-describedby') ?? '');
    expect(hint?.textContent).toContain('Shall I take your calls from now on?');
    await logWith(element, true);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.makeMeManager).toBe(true);
  });

  it('is not chosen unless ticked, and names the manager the customer has now', async () => {
    const owned: Match = {
      ...sophie,
      profile: { ...sophie.profile, owner: { name: 'Priya Natarajan' } },
    };
    const { element, logged } = await mount(owned);
    expect(root(element).textContent).toContain('Their manager now: Priya Natarajan');
    await logWith(element, false);
    expect(logged[0]).not.toHaveProperty('makeMeManager');
  });

  it('is not offered for an unknown caller', async () => {
    const { element } = await mount(null);
    expect(checkbox(element)).toBeNull();
  });

  it("speaks the agent's language", async () => {
    const { element } = await mount(sophie, 'it');
    expect(checkbox(element)?.closest('label')?.textContent).toContain('Diventa il suo referente');
  });
});
