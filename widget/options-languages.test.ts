// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxStatus } from '../shared/after-call';
import { THIS_BROWSER } from '../shared/audit';
import { CONFIG_KEYS, DEFAULT_CONFIG } from '../shared/config';
import type { DetectionStatus } from '../shared/detection-status';
import type { SettingsView, SignInView } from '../shared/protocol';
import { defineOptionsElements } from './define-options';
import { createTranslator, type Language } from './i18n/catalog';
import { englishLeftovers, visibleWords } from './i18n/english-text';
import type { OptionsApi } from './options.component';

/**
 * The options page in each language: no English catalog text where the language has its own.
 * What the background reports in its own words (a connection test's result, a refused setting)
 * is data here, as the sidebar's platform messages are.
 */

const settings: SettingsView = {
  config: {
    ...DEFAULT_CONFIG,
    oidc: { issuer: 'https://login.example.com', clientId: 'caller-context' },
    dynamicsDirect: {
      orgUrl: 'https://contoso.crm4.dynamics.com',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: 'app-1',
    },
  },
  origins: Object.fromEntries(
    CONFIG_KEYS.map((key) => [
      key,
      key === 'crmMatches' ? 'policy' : key === 'defaultRegion' ? 'agent' : 'default',
    ]),
  ) as SettingsView['origins'],
  problems: [{ origin: 'policy', key: 'detectionRules', message: 'rule 2: bad match pattern' }],
};

const outbox: OutboxStatus = {
  pending: 1,
  sent: 2,
  failed: 1,
  failedEvents: [
    {
      id: 'evt-1',
      loggedAt: '2026-11-20T10:00:00.000Z',
      disposition: 'Resolved',
      dispositionCode: 'resolved',
      error: 'The gateway answered 400.',
      problem: { code: 'gatewayStatus', params: { status: '400' } },
    },
  ],
  retryAt: '2026-11-20T10:05:00.000Z',
  lastError: 'Cannot reach the gateway at https://gw.example.com.',
  lastProblem: { code: 'gatewayUnreachable', params: { url: 'https://gw.example.com' } },
};

const detection: DetectionStatus = {
  url: 'https://phone.example.com/agent',
  detectors: ['demo-softphone'],
  rules: [
    { rule: 1, matches: ['https://phone.example.com/*'], applies: true, access: 'needed' },
    { rule: 2, matches: ['https://crm.example.com/*'], applies: false, access: 'granted' },
    { rule: 3, matches: ['http://127.0.0.1/*'], applies: false, access: 'declared' },
  ],
  problems: [],
  seen: [
    {
      detector: 'demo-softphone',
      raw: '+44 20 7946 0123',
      state: 'ringing',
      at: '2026-11-20T10:00:00.000Z',
    },
  ],
};

function api(signIn: SignInView, overrides: Partial<OptionsApi> = {}): OptionsApi {
  return {
    getSettings: async () => settings,
    saveSettings: async () => ({ saved: true, problems: [] }),
    testConnection: async () => ({ ok: true, message: 'Found 1 match(es).', sources: [], ms: 3 }),
    clearLocalData: async () => ({ cleared: ['calls'] }),
    getSignInStatus: async () => signIn,
    signIn: async () => signIn,
    signOut: async () => ({ ...signIn, signedIn: false }),
    signInDynamics: async () => ({ ok: true, message: 'Signed in to Dynamics 365.' }),
    onSettingsChanged: () => () => {},
    ...overrides,
  };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 6; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

const shadow = (element: Element | null | undefined) => element?.shadowRoot ?? null;

async function everyState(language: Language): Promise<Record<string, string[]>> {
  const seen: Record<string, string[]> = {};
  const look = (state: string) => {
    seen[state] = visibleWords(document.body);
  };
  const translator = createTranslator([language]);
  const mount = async (optionsApi: OptionsApi) => {
    const options = document.createElement('cc-options');
    options.api = optionsApi;
    options.translator = translator;
    const detectionStatus = document.createElement('cc-detection-status');
    detectionStatus.translator = translator;
    detectionStatus.api = { status: async () => detection, grant: async () => false };
    const outboxPanel = document.createElement('cc-outbox-panel');
    outboxPanel.translator = translator;
    outboxPanel.api = {
      status: async () => outbox,
      subscribe: () => () => {},
      retryFailed: async () => ({ retried: 1 }),
      exportFailed: async () => [],
    };
    const audit = document.createElement('cc-audit-list');
    audit.translator = translator;
    audit.api = {
      entries: async () => [
        {
          at: '2026-11-20T10:00:00.000Z',
          who: THIS_BROWSER,
          identity: 'phone:+442079460123',
          reason: 'call',
        },
        {
          at: '2026-11-20T10:01:00.000Z',
          who: 'Alex Agent',
          identity: 'phone:+442079460777',
          reason: 'verbalConsent',
          answer: 'given',
        },
        {
          at: '2026-11-20T10:02:00.000Z',
          who: 'Alex Agent',
          identity: 'phone:+442079460777',
          reason: 'verbalConsent',
          answer: 'declined',
        },
        {
          at: '2026-11-20T10:03:00.000Z',
          who: 'Alex Agent',
          identity: 'phone:+442079460123',
          reason: 'retry',
        },
        {
          at: '2026-11-20T10:04:00.000Z',
          who: 'Alex Agent',
          identity: 'phone:+442079460123',
          reason: 'test',
        },
      ],
    };
    options.append(detectionStatus, outboxPanel, audit);
    document.body.append(options);
    await settle();
    return { options, detectionStatus, outboxPanel, audit };
  };
  const click = async (root: ShadowRoot | null, text: (t: string) => boolean) => {
    const button = [...(root?.querySelectorAll('button') ?? [])].find((b) =>
      text(b.textContent?.trim() ?? ''),
    );
    button?.click();
    await settle();
  };
  const { t } = translator;

  let page = await mount(api({ required: true, signedIn: false }));
  look('signed out, every section');
  const root = shadow(page.options);
  // Typing that the page itself refuses: JSON that is not, hours that are not a number.
  type(page.options, 'field-oidc', '{ not json');
  type(page.options, 'field-callDataRetentionHours', 'four');
  root?.querySelector('form')?.requestSubmit();
  await settle();
  look('fields refused');
  await click(root, (text) => text === t('options.test.run'));
  look('connection tested');
  await click(root, (text) => text === t('options.dynamics.signIn'));
  look('signed in to Dynamics');
  await click(root, (text) => text === t('options.data.clear'));
  look('asked to confirm clearing');
  await click(root, (text) => text === t('options.data.delete'));
  look('cleared');
  await click(shadow(page.outboxPanel), (text) => text === t('outbox.retry'));
  look('refused events sent again');
  await click(shadow(page.detectionStatus), (text) => text === t('options.detection.grant'));
  look('access not granted');
  document.body.replaceChildren();

  page = await mount(api({ required: true, signedIn: true, user: 'Alex Agent' }));
  look('signed in');
  await click(
    shadow(page.options),
    (text) =>
      text ===
      t('options.useDefault', {
        setting: t('options.field.defaultRegion'),
      }),
  );
  look('a setting back to its default');
  document.body.replaceChildren();

  page = await mount(
    api(
      { required: true, signedIn: false },
      {
        saveSettings: () => Promise.reject(new Error('gone')),
        testConnection: () => Promise.reject(new Error('gone')),
        signInDynamics: () => Promise.reject(new Error('gone')),
        clearLocalData: () => Promise.reject(new Error('gone')),
      },
    ),
  );
  type(page.options, 'field-defaultRegion', 'DE');
  shadow(page.options)?.querySelector('form')?.requestSubmit();
  await settle();
  look('the background did not answer a save');
  await click(shadow(page.options), (text) => text === t('options.test.run'));
  await click(shadow(page.options), (text) => text === t('options.dynamics.signIn'));
  await click(shadow(page.options), (text) => text === t('options.data.clear'));
  await click(shadow(page.options), (text) => text === t('options.data.delete'));
  look('the background did not answer anything');
  document.body.replaceChildren();

  page = await mount(
    api(
      { required: false, signedIn: false },
      { getSettings: () => Promise.reject(new Error('gone')) },
    ),
  );
  look('settings unreadable');
  document.body.replaceChildren();
  return seen;
}

function type(options: Element, id: string, value: string): void {
  const field = shadow(options)?.querySelector<HTMLInputElement | HTMLTextAreaElement>(`#${id}`);
  if (field) field.value = value;
  field?.dispatchEvent(new Event('input'));
}

beforeAll(() => defineOptionsElements());
afterEach(() => document.body.replaceChildren());

describe('the options page in every language', () => {
  it('shows the English catalog in English, so the check below finds English where it shows', async () => {
    const found = englishLeftovers('it', Object.values(await everyState('en')).flat());
    for (const key of [
      'options.title',
      'options.policyProblem',
      'options.notJson',
      'options.notNumber',
      'options.fixFields',
      'options.signIn.missing',
      'options.signIn.as',
      'options.data.confirm',
      'options.data.cleared',
      'options.data.clearFailed',
      'options.notSavedNoAnswer',
      'options.noAnswer',
      'options.useDefault',
      'options.field.callDataRetentionHours',
      'options.hint.callDataRetentionHours',
      'outbox.retried',
      'outbox.nextTryWhy',
      'options.detection.rule',
      'options.detection.access.needed',
      'options.detection.access.granted',
      'options.detection.notApplies',
      'options.detection.notGranted',
      'options.detection.seen',
      'options.audit.thisBrowser',
      'options.audit.answer.declined',
      'options.audit.reason.test',
      'options.loadFailed',
      'problem.gatewayUnreachable',
      'problem.gatewayStatus',
    ] as const)
      expect(
        found.some((f) => f.startsWith(`${key}:`)),
        `${key} not seen`,
      ).toBe(true);
  });

  it.each(['it', 'ru', 'de', 'fr', 'es'] as const)('speaks %s in every state', async (language) => {
    const seen = await everyState(language);
    expect(Object.keys(seen)).toHaveLength(13);
    for (const [state, words] of Object.entries(seen))
      expect(englishLeftovers(language, words), `${language}, ${state}`).toEqual([]);
  });
});
