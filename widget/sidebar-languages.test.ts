// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutboxStatus } from '../shared/after-call';
import type { CallSession } from '../shared/call';
import { DEFAULT_CONFIG } from '../shared/config';
import type { FrameLayout } from '../shared/frame-host';
import type { ActivityEvent, CallerContext, Match } from '../shared/model';
import type { CallFeed } from './call-feed.controller';
import { defineSidebarElements } from './define';
import type { FrameControls } from './frame-controls';
import { createTranslator, type Language } from './i18n/catalog';
import { englishLeftovers, englishWords, visibleWords } from './i18n/english-text';
import type { OutboxApi } from './outbox-panel.component';
import type { CcSidebarApp } from './sidebar-app.component';
import type { CcWrapUp } from './wrap-up.component';
import type { WrapUpBackend } from './wrap-up-backend';

/**
 * Every word the agent sees in the sidebar comes from their language's catalog: the sidebar is
 * rendered in each of its states in each language, and no English catalog text may show where
 * the language has its own. What is not ours to translate (names, products, case titles, the
 * platforms' own error texts) is data, and no catalog holds it.
 */

const MINUTE = 60_000;
const now = Date.now();
const ago = (ms: number) => new Date(now - ms).toISOString();

const activity: ActivityEvent[] = [
  {
    id: 'a1',
    at: ago(MINUTE),
    type: 'cart_add',
    title: 'Espresso Pro',
    value: 349,
    currency: 'GBP',
    source: 'web',
  },
  {
    id: 'a2',
    at: ago(2 * MINUTE),
    type: 'page_view',
    title: 'Returns',
    url: 'https://shop.example/returns',
    source: 'web',
  },
  {
    id: 'a3',
    at: ago(3 * MINUTE),
    type: 'page_view',
    title: 'Returns',
    url: 'https://shop.example/returns',
    source: 'web',
  },
  { id: 'a4', at: ago(4 * MINUTE), type: 'search', title: 'descaler', source: 'web' },
  { id: 'a5', at: ago(5 * MINUTE), type: 'search', title: 'descaler', source: 'web' },
  { id: 'a6', at: ago(6 * MINUTE), type: 'product_view', title: 'Espresso Pro', source: 'web' },
  { id: 'a7', at: ago(7 * MINUTE), type: 'product_view', title: 'Espresso Lite', source: 'web' },
  { id: 'a8', at: ago(8 * MINUTE), type: 'checkout', source: 'web' },
  { id: 'a9', at: ago(9 * MINUTE), type: 'cart_remove', title: 'Milk jug', source: 'web' },
  { id: 'a10', at: ago(10 * MINUTE), type: 'purchase', title: 'Filters', source: 'web' },
];

function match(id: string, name: string, extra: Partial<Match> = {}): Match {
  return {
    profile: {
      id,
      source: 'demo',
      displayName: name,
      emails: [`${id}@example.com`],
      owner: { name: 'Marco Rossi' },
      consent: { personalisation: 'granted', marketingEmail: 'denied', sms: 'unknown' },
      attributes: {
        tier: 'Gold',
        customerSince: '2019',
        lifetimeValue: 1234,
        currency: 'GBP',
        language: 'it',
        products: 'Espresso Pro',
      },
    },
    activity,
    cases: [
      { id: 'case-1', number: 'CAS-1042', title: 'Cracked drip tray', status: 'Open' },
      { id: 'case-2', title: 'Descaling kit' },
    ],
    ...extra,
  };
}

const JANE = match('cust-1', 'Jane Doe');
const phone = { namespace: 'phone', value: '+442079460123' };

function context(matches: Match[], extra: Partial<CallerContext> = {}): CallerContext {
  return { identity: phone, matches, fetchedAt: ago(MINUTE), errors: [], ...extra };
}

function call(extra: Partial<CallSession> = {}): CallSession {
  return {
    id: 'call-1',
    rawNumber: '+44 20 7946 0123',
    identity: phone,
    state: 'ringing',
    detector: 'demo-softphone',
    ringingAt: ago(2 * MINUTE),
    updatedAt: ago(MINUTE),
    lookup: { status: 'done', context: context([JANE]) },
    ...extra,
  };
}

const waitingCaller = call({
  id: 'call-2',
  rawNumber: '+44 20 7946 0999',
  identity: { namespace: 'phone', value: '+442079460999' },
  lookup: { status: 'done', context: context([]) },
});

const troubledOutbox: OutboxStatus = {
  pending: 2,
  sent: 1,
  failed: 1,
  failedEvents: [
    {
      id: 'evt-1',
      loggedAt: ago(30 * MINUTE),
      disposition: 'Resolved',
      dispositionCode: 'resolved',
      error: 'The gateway answered 400: bad event.',
      problem: { code: 'gatewayStatusDetail', params: { status: '400', detail: 'bad event' } },
    },
  ],
  retryAt: new Date(now + MINUTE).toISOString(),
  lastError: 'Cannot reach the gateway at https://gw.example.com.',
  lastProblem: { code: 'gatewayUnreachable', params: { url: 'https://gw.example.com' } },
};

/** A background that answers as configured: the sidebar's feed, the wrap-up's backend, the outbox. */
function fakeBackground(
  options: {
    current?: () => Promise<CallSession | null>;
    wrapUp?: Partial<WrapUpBackend>;
    refreshActivity?: CallFeed['refreshActivity'];
    recordVerbalConsent?: CallFeed['recordVerbalConsent'];
  } = {},
) {
  let push: (session: CallSession | null) => void = () => {};
  const feed: CallFeed = {
    current: options.current ?? (async () => null),
    subscribe: (onChange) => {
      push = onChange;
      return () => {};
    },
    settings: async () => ({
      crmActions: {
        search: 'https://crm.example.com/search?q={phone}',
        createContact: 'https://crm.example.com/contacts/new?phone={phone}',
        createCase: 'https://crm.example.com/cases/new?phone={phone}',
        openContact: 'https://crm.example.com/contacts/{id}',
        openCase: 'https://crm.example.com/cases/{id}',
      },
      consentMasking: 'mask',
    }),
    retryLookup: async () => ({ ok: true }),
    pickMatch: async () => ({ ok: true }),
    refreshActivity: options.refreshActivity ?? (async () => ({ ok: true })),
    recordVerbalConsent: options.recordVerbalConsent ?? (async () => ({ ok: true })),
  };
  const backend: WrapUpBackend = {
    load: async () => ({ draft: null, dispositions: DEFAULT_CONFIG.dispositions }),
    saveDraft: async () => {},
    logCall: async () => ({ saved: true, duplicate: false }),
    ...options.wrapUp,
  };
  const outbox: OutboxApi = {
    status: async () => troubledOutbox,
    subscribe: () => () => {},
    retryFailed: async () => ({ retried: 0 }),
    exportFailed: async () => [],
  };
  return { feed, backend, outbox, push: (session: CallSession | null) => push(session) };
}

function fakeFrame(layout: FrameLayout = { collapsed: false, width: 400 }): FrameControls {
  let current = layout;
  return {
    layout: () => current,
    setLayout: (change) => {
      current = { ...current, ...change };
      return current;
    },
    open: () => true,
    watchColorScheme: () => null,
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

async function mount(
  language: Language,
  background: ReturnType<typeof fakeBackground>,
  page: {
    frame?: FrameControls;
    waitingCalls: () => Promise<CallSession[]>;
    wrapUp?: WrapUpBackend;
    outbox?: OutboxApi;
  },
): Promise<CcSidebarApp> {
  const { frame, waitingCalls, wrapUp = background.backend, outbox = background.outbox } = page;
  const app = document.createElement('cc-sidebar-app');
  app.feed = background.feed;
  app.wrapUp = wrapUp;
  app.outbox = outbox;
  app.waitingCalls = waitingCalls;
  app.translator = createTranslator([language]);
  if (frame) app.frame = frame;
  document.body.append(app);
  await settle();
  return app;
}

/** The sidebar in each of its states, one after another, and what each showed. */
async function everyState(
  language: Language,
): Promise<{ seen: Record<string, string[]>; unmarked: Record<string, string[]> }> {
  const seen: Record<string, string[]> = {};
  const unmarked: Record<string, string[]> = {};
  const look = (state: string) => {
    seen[state] = visibleWords(document.body);
    unmarked[state] = visibleWords(document.body, [], true);
  };
  const waiting = vi.fn(async () => [] as CallSession[]);
  try {
    // Before the background's first answer, and while it restarts.
    const silent = fakeBackground({ current: () => new Promise(() => {}) });
    await mount(language, silent, { waitingCalls: waiting });
    look('loading');
    document.body.replaceChildren();
    const restarting = fakeBackground({ current: () => Promise.reject(new Error('gone')) });
    await mount(language, restarting, { waitingCalls: waiting });
    look('restarting');
    document.body.replaceChildren();

    // In a CRM tab: the frame's edge and collapse button; the calls as they come.
    const bg = fakeBackground({
      refreshActivity: async () => ({
        ok: false,
        error: 'The gateway answered 503.',
        problem: { code: 'gatewayStatus', params: { status: '503' } },
      }),
      recordVerbalConsent: () => Promise.reject(new Error('no background')),
    });
    const backend = bg.backend;
    const app = await mount(language, bg, { frame: fakeFrame(), waitingCalls: waiting });
    look('idle');
    const show = async (state: string, session: CallSession | null) => {
      bg.push(session);
      await settle();
      look(state);
    };
    waiting.mockResolvedValue([waitingCaller]);
    await show('known caller ringing, another waiting', call());
    waiting.mockResolvedValue([]);
    await show('looking up', call({ lookup: { status: 'pending' } }));
    await show(
      'several customers',
      call({ lookup: { status: 'done', context: context([JANE, match('cust-2', 'Tom Baker')]) } }),
    );
    await show(
      'no consent, masked',
      call({
        lookup: {
          status: 'done',
          context: context([
            {
              ...match('cust-3', 'Luis García'),
              activity: [],
              withheldActivity: 3,
              profile: { ...JANE.profile, consent: { personalisation: 'denied' } },
            },
          ]),
        },
      }),
    );
    await show(
      'a source failed',
      call({
        lookup: {
          status: 'done',
          context: context([JANE], {
            errors: [{ source: 'aep', message: 'Adobe Experience Platform is not answering' }],
          }),
        },
      }),
    );
    await show(
      'lookup failed with a code',
      call({
        lookup: {
          status: 'failed',
          message: 'Cannot reach the gateway at https://gw.example.com.',
          problem: { code: 'gatewayUnreachable', params: { url: 'https://gw.example.com' } },
        },
      }),
    );
    await show(
      'number not readable',
      call({
        identity: null,
        rawNumber: 'Withheld',
        lookup: {
          status: 'failed',
          message: '"Withheld" is not a phone number',
          problem: { code: 'numberUnreadable', params: { raw: 'Withheld' } },
        },
      }),
    );
    const unknown = call({
      lookup: { status: 'done', context: context([]) },
      verbalConsent: { state: 'required' },
    });
    await show('unknown caller, permission asked', unknown);
    const agreed = [
      ...(app.shadowRoot
        ?.querySelector('cc-sidebar')
        ?.shadowRoot?.querySelectorAll('cc-verbal-consent') ?? []),
    ][0]?.shadowRoot?.querySelector('button');
    agreed?.click();
    await settle();
    look('permission not recorded');
    await show(
      'unknown caller agreed',
      call({
        lookup: { status: 'done', context: { ...context([]), activity } },
        verbalConsent: { state: 'given', at: ago(MINUTE) },
      }),
    );
    await show(
      'unknown caller declined',
      call({
        lookup: { status: 'done', context: context([]) },
        verbalConsent: { state: 'declined', at: ago(MINUTE) },
      }),
    );

    // On the call: live updates fail, then the agent opens the wrap-up early.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    bg.push(call({ state: 'connected', connectedAt: ago(MINUTE) }));
    await vi.advanceTimersByTimeAsync(2500);
    vi.useRealTimers();
    await settle();
    look('connected, live updates failing');

    // After the call: the wrap-up form and the outbox, and what can go wrong with them.
    await show(
      'ended, wrap-up',
      call({ state: 'ended', connectedAt: ago(MINUTE), endedAt: ago(10_000) }),
    );
    const wrapUp = () =>
      app.shadowRoot?.querySelector('cc-sidebar')?.shadowRoot?.querySelector('cc-wrap-up') as
        | CcWrapUp
        | undefined;
    const submit = async () => {
      wrapUp()?.shadowRoot?.querySelector('form')?.requestSubmit();
      await settle();
    };
    await submit();
    look('wrap-up without a disposition');
    const pick = async () => {
      const select = wrapUp()?.shadowRoot?.querySelector<HTMLSelectElement>(
        'select[name="disposition"]',
      );
      if (select) {
        select.value = 'resolved';
        select.dispatchEvent(new Event('change', { bubbles: true }));
      }
      await settle();
    };
    await pick();
    backend.logCall = async () => ({ saved: false, error: 'id must be a UUID' });
    await submit();
    look('wrap-up refused');
    backend.logCall = () => Promise.reject(new Error('gone'));
    await submit();
    look('wrap-up while restarting');
    backend.logCall = async () => ({ saved: true, duplicate: false });
    await submit();
    look('wrap-up saved');

    await show('collapsed, ringing', call());
    await app.shadowRoot
      ?.querySelector<HTMLButtonElement>('button.collapse')
      ?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    await settle();
    look('collapsed');
    document.body.replaceChildren();

    // A background that cannot load the wrap-up or the outbox.
    const broken = fakeBackground();
    await mount(language, broken, {
      waitingCalls: waiting,
      wrapUp: { ...broken.backend, load: () => Promise.reject(new Error('gone')) },
      outbox: { ...broken.outbox, status: () => Promise.reject(new Error('gone')) },
    });
    broken.push(call({ state: 'ended', endedAt: ago(10_000) }));
    await settle();
    look('wrap-up and outbox unavailable');
  } finally {
    vi.useRealTimers();
    document.body.replaceChildren();
  }
  return { seen, unmarked };
}

beforeAll(() => defineSidebarElements());
afterEach(() => {
  document.body.replaceChildren();
});

describe('the sidebar in every language', () => {
  it('shows the English catalog in English, so the check below finds English where it shows', async () => {
    const { seen, unmarked } = await everyState('en');
    // A sentence outside the catalogs is caught too.
    expect(englishWords(Object.values(unmarked).flat())).toContain(
      '"this" in "No customer has this number."',
    );
    if (process.env.H4_DEBUG)
      for (const [k, v] of Object.entries(seen)) console.log(k, JSON.stringify(v).slice(0, 600));
    const all = Object.values(seen).flat();
    const found = englishLeftovers('it', all);
    // Each kind of text the sidebar shows in these states is caught when it stays English.
    for (const key of [
      'idle',
      'restarting',
      'loading',
      'waiting.another',
      'wrapUp.title',
      'wrapUp.problem.disposition',
      'wrapUp.notSaved',
      'wrapUp.restarting',
      'wrapUp.saved',
      'wrapUp.loadFailed',
      'outbox.unavailable',
      'outbox.failedList',
      'problem.gatewayUnreachable',
      'problem.gatewayStatus',
      'disposition.resolved',
      'expand',
      'resize',
      'collapse',
      'verbalConsent.prompt',
      'noAnswer',
      'anonymousActivityTitle',
      'verbalConsent.declinedResult',
      'eventsHidden',
      'pickerTitle',
      'searchCrm',
    ] as const)
      expect(
        found.some((f) => f.startsWith(`${key}:`)),
        `${key} not seen`,
      ).toBe(true);
  });

  it.each(['it', 'ru', 'de', 'fr', 'es'] as const)(
    'speaks %s in every state, with no English text of its own',
    async (language) => {
      const { seen, unmarked } = await everyState(language);
      expect(Object.keys(seen)).toHaveLength(23);
      for (const [state, words] of Object.entries(seen))
        expect(englishLeftovers(language, words), `${language}, ${state}`).toEqual([]);
      for (const [state, words] of Object.entries(unmarked))
        expect(englishWords(words), `${language}, ${state}`).toEqual([]);
    },
  );
});
