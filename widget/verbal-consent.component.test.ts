// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CallSession, VerbalConsent } from '../shared/call';
import type { ActivityEvent } from '../shared/model';
import { defineSidebarElements } from './define';
import { createTranslator } from './i18n/catalog';
import { LiveActivityController } from './live-activity.controller';
import type { CcSidebar } from './sidebar.component';
import type { CcVerbalConsent } from './verbal-consent.component';
import { VerbalConsentEvent } from './verbal-consent.event';

const visit: ActivityEvent = {
  id: 'e-1',
  at: '2025-03-01T09:58:00.000Z',
  type: 'product_view',
  title: 'Milk frother',
  source: 'collect',
};

function anonymousCall(verbalConsent?: VerbalConsent, activity?: ActivityEvent[]): CallSession {
  return {
    id: 'call-7',
    rawNumber: '+44 20 7946 0777',
    identity: { namespace: 'phone', value: '+442079460777' },
    state: 'ringing',
    detector: 'demo-softphone',
    ringingAt: '2025-03-01T09:59:50.000Z',
    updatedAt: '2025-03-01T10:00:00.000Z',
    lookup: {
      status: 'done',
      context: {
        identity: { namespace: 'phone', value: '+442079460777' },
        matches: [],
        fetchedAt: '2025-03-01T10:00:00.000Z',
        errors: [],
        ...(activity ? { activity } : {}),
      },
    },
    ...(verbalConsent ? { verbalConsent } : {}),
  };
}

beforeAll(() => defineSidebarElements());
afterEach(() => {
  document.body.replaceChildren();
  vi.useRealTimers();
});

async function settle(element: HTMLElement & { updateComplete: Promise<boolean> }) {
  await element.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 0));
  await element.updateComplete;
}

async function mountPrompt(call: CallSession): Promise<CcVerbalConsent> {
  const element = document.createElement('cc-verbal-consent');
  element.call = call;
  document.body.append(element);
  await settle(element);
  return element;
}

const root = (element: HTMLElement) => element.shadowRoot as ShadowRoot;
const text = (node: Element | ShadowRoot | null | undefined) =>
  (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const button = (element: HTMLElement, name: string) =>
  [...root(element).querySelectorAll('button')].find((b) => text(b) === name);

describe('cc-verbal-consent', () => {
  it('shows nothing for a call that needs no permission', async () => {
    const element = await mountPrompt(anonymousCall());
    expect(root(element).querySelector('section')).toBeNull();
  });

  it('asks the agent to read the question aloud, with two named answers and an empty live region', async () => {
    const element = await mountPrompt(anonymousCall({ state: 'required' }));
    expect(text(root(element).querySelector('.prompt'))).toBe(
      'Ask the caller: may we look at their recent visit to our site to help with this call?',
    );
    const group = root(element).querySelector('[role="group"]');
    expect(group?.getAttribute('aria-labelledby')).toBe('consent-prompt');
    expect([...(group?.querySelectorAll('button') ?? [])].map(text)).toEqual([
      'Caller agreed',
      'Caller declined',
    ]);
    const status = root(element).querySelector('[role="status"]');
    expect(text(status)).toBe('');
  });

  it('"Caller agreed" sends the answer up, then says what follows and takes the focus there', async () => {
    const element = await mountPrompt(anonymousCall({ state: 'required' }));
    const sent: VerbalConsentEvent[] = [];
    let keep: (value: { ok: boolean }) => void = () => {};
    element.addEventListener(
      VerbalConsentEvent.type,
      (event) => {
        sent.push(event);
        event.recorded = new Promise((resolve) => {
          keep = resolve;
        });
      },
      { once: true },
    );
    button(element, 'Caller agreed')?.click();
    await element.updateComplete;
    expect(sent.map((e) => [e.callId, e.given, e.bubbles, e.composed])).toEqual([
      ['call-7', true, true, true],
    ]);
    expect(text(root(element).querySelector('[role="status"]'))).toBe('Recording the answer…');
    expect(button(element, 'Caller agreed')?.getAttribute('aria-disabled')).toBe('true');
    // A second press while the first is on its way sends nothing more.
    button(element, 'Caller agreed')?.click();
    expect(sent).toHaveLength(1);

    element.call = anonymousCall({ state: 'given', at: '2025-03-01T10:00:05.000Z' });
    keep({ ok: true });
    await settle(element);
    expect(button(element, 'Caller agreed')).toBeUndefined();
    const status = root(element).querySelector('[role="status"]');
    expect(text(status)).toBe('The caller agreed. Their recent visit to the site is shown below.');
    expect(root(element).activeElement).toBe(status);
  });

  it('says when the answer was not kept, and lets the agent try again', async () => {
    const element = await mountPrompt(anonymousCall({ state: 'required' }));
    element.addEventListener(
      VerbalConsentEvent.type,
      (event) => {
        event.recorded = Promise.resolve({ ok: false, error: 'no such call' });
      },
      { once: true },
    );
    button(element, 'Caller declined')?.click();
    await settle(element);
    expect(text(root(element).querySelector('[role="alert"]'))).toBe(
      'The answer was not recorded: no such call. Try again.',
    );
    expect(button(element, 'Caller declined')?.getAttribute('aria-disabled')).toBe('false');
  });

  it('says that nothing else is looked up once the caller declined, in the agent’s language', async () => {
    const element = await mountPrompt(anonymousCall({ state: 'declined', at: 'x' }));
    expect(text(root(element).querySelector('[role="status"]'))).toBe(
      'The caller declined. Nothing else will be looked up for this call.',
    );
    element.translator = createTranslator(['de']);
    await element.updateComplete;
    expect(text(root(element).querySelector('[role="status"]'))).toBe(
      'Der Anrufer hat abgelehnt. Für diesen Anruf wird nichts weiter abgefragt.',
    );
  });
});

describe('cc-sidebar, unknown caller', () => {
  async function mountSidebar(call: CallSession): Promise<CcSidebar> {
    const element = document.createElement('cc-sidebar');
    element.call = call;
    element.loaded = true;
    document.body.append(element);
    await settle(element);
    return element;
  }
  const activitySection = (element: CcSidebar) =>
    root(element).querySelector('[aria-labelledby="anonymous-activity-title"]');

  it('shows the prompt and no web activity while the answer is awaited', async () => {
    const element = await mountSidebar(anonymousCall({ state: 'required' }));
    expect(text(root(element).querySelector('.unknown'))).toContain('Unknown caller');
    expect(root(element).querySelector('cc-verbal-consent')).not.toBeNull();
    expect(activitySection(element)).toBeNull();
  });

  it('shows "Web activity for this number" once the caller agreed, with the activity list', async () => {
    const element = await mountSidebar(
      anonymousCall({ state: 'given', at: '2025-03-01T10:00:05.000Z' }, [visit]),
    );
    const section = activitySection(element);
    expect(text(section?.querySelector('h2'))).toBe('Web activity for this number');
    const list = section?.querySelector('cc-activity-list');
    await list?.updateComplete;
    expect(list?.events).toEqual([visit]);
    expect(text(list?.shadowRoot?.querySelector('ol'))).toContain('Milk frother');
  });

  it('shows a skeleton while the agreed lookup is still under way, and nothing after a no', async () => {
    const pending = await mountSidebar(anonymousCall({ state: 'given', at: 'x' }));
    expect(activitySection(pending)?.querySelector('.skeleton')).not.toBeNull();
    document.body.replaceChildren();
    const declined = await mountSidebar(anonymousCall({ state: 'declined', at: 'x' }, [visit]));
    expect(activitySection(declined)).toBeNull();
  });
});

describe('live activity for an anonymous caller', () => {
  function follow(call: CallSession): { refreshed: string[] } {
    const refreshed: string[] = [];
    const host = { addController() {}, requestUpdate() {} } as never;
    const controller = new LiveActivityController(
      host,
      async (id) => {
        refreshed.push(id);
        return { ok: true };
      },
      1000,
    );
    controller.follow(call);
    return { refreshed };
  }

  it('asks for nothing while the answer is awaited or after a no, and polls after a yes', async () => {
    vi.useFakeTimers();
    const required = follow(anonymousCall({ state: 'required' }));
    const declined = follow(anonymousCall({ state: 'declined', at: 'x' }));
    const given = follow(anonymousCall({ state: 'given', at: 'x' }));
    await vi.advanceTimersByTimeAsync(3500);
    expect(required.refreshed).toEqual([]);
    expect(declined.refreshed).toEqual([]);
    expect(given.refreshed).toEqual(['call-7', 'call-7', 'call-7']);
  });
});
