// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CONFIG_KEYS,
  type ConfigKey,
  DEFAULT_CONFIG,
  type ExtensionConfig,
} from '../shared/config';
import type { SettingsView } from '../shared/protocol';
import { defineOptionsElements } from './define-options';
import type { CcOptions, OptionsApi } from './options.component';

function view(config: Partial<ExtensionConfig>): SettingsView {
  return {
    config: { ...DEFAULT_CONFIG, ...config },
    origins: Object.fromEntries(
      CONFIG_KEYS.map((k) => [k, k in config ? 'policy' : 'default']),
    ) as Record<ConfigKey, 'policy' | 'default'>,
    problems: [],
  };
}

function fakeApi(settings: SettingsView, signInDynamics: OptionsApi['signInDynamics']): OptionsApi {
  return {
    getSettings: async () => settings,
    saveSettings: async () => ({ saved: true, problems: [] }),
    testConnection: async () => ({ ok: true, message: 'ok', sources: [], ms: 1 }),
    clearLocalData: async () => ({ cleared: [] }),
    getSignInStatus: async () => ({ required: false, signedIn: false }),
    signIn: async () => ({ required: false, signedIn: false }),
    signOut: async () => ({ required: false, signedIn: false }),
    signInDynamics,
    onSettingsChanged: () => () => {},
  };
}

async function mount(api: OptionsApi): Promise<CcOptions> {
  const element = document.createElement('cc-options');
  element.api = api;
  document.body.append(element);
  for (let i = 0; i < 5; i++) await element.updateComplete;
  await new Promise((r) => setTimeout(r, 0));
  await element.updateComplete;
  return element;
}

const section = (el: CcOptions) =>
  el.shadowRoot?.querySelector('[aria-labelledby="dynamics-title"]');

describe('options page: Dynamics 365 sign-in', () => {
  beforeAll(() => defineOptionsElements());
  afterEach(() => document.body.replaceChildren());

  it('offers no Dynamics sign-in when Dynamics is not read directly', async () => {
    const el = await mount(fakeApi(view({}), async () => ({ ok: true, message: '' })));
    expect(el.shadowRoot?.querySelector('h1')?.textContent).toBe('Caller Context settings');
    expect(section(el)).toBeNull();
  });

  it('signs the agent in to Dynamics on a click and says how it went', async () => {
    let clicks = 0;
    const dynamicsDirect = {
      orgUrl: 'https://contoso.crm4.dynamics.com',
      tenantId: 't',
      clientId: 'c',
    };
    const el = await mount(
      fakeApi(view({ dynamicsDirect }), async () => {
        clicks++;
        return { ok: false, message: 'Entra ID refused the sign-in: consent required' };
      }),
    );
    const button = section(el)?.querySelector('button');
    expect(section(el)?.textContent).toContain('https://contoso.crm4.dynamics.com');
    button?.click();
    await new Promise((r) => setTimeout(r, 0));
    await el.updateComplete;
    expect(clicks).toBe(1);
    expect(section(el)?.querySelector('[role="status"]')?.textContent).toBe(
      'Entra ID refused the sign-in: consent required',
    );
  });
});

describe('options page: asking anonymous callers first', () => {
  beforeAll(() => defineOptionsElements());
  afterEach(() => document.body.replaceChildren());

  const checkbox = (el: CcOptions) =>
    el.shadowRoot?.querySelector<HTMLInputElement>('#field-requireVerbalConsent');

  it('is a checkbox, off by default, that saves true when ticked', async () => {
    const saved: Partial<Record<ConfigKey, unknown>>[] = [];
    const api = {
      ...fakeApi(view({}), async () => ({ ok: true, message: '' })),
      saveSettings: async (patch: Partial<Record<ConfigKey, unknown>>) => {
        saved.push(patch);
        return { saved: true, problems: [] };
      },
    };
    const el = await mount(api);
    const box = checkbox(el);
    expect(box?.type).toBe('checkbox');
    expect(box?.checked).toBe(false);
    expect(box?.disabled).toBe(false);
    expect(
      el.shadowRoot?.querySelector('label[for="field-requireVerbalConsent"]')?.textContent,
    ).toBe('Ask anonymous callers first');
    if (box) box.checked = true;
    box?.dispatchEvent(new Event('change'));
    el.shadowRoot?.querySelector('form')?.requestSubmit();
    await new Promise((r) => setTimeout(r, 0));
    expect(saved).toEqual([{ requireVerbalConsent: true }]);
  });

  it('is locked, and shown as set, when the administrator requires it by policy', async () => {
    const el = await mount(
      fakeApi(view({ requireVerbalConsent: true }), async () => ({ ok: true, message: '' })),
    );
    expect(checkbox(el)?.checked).toBe(true);
    expect(checkbox(el)?.disabled).toBe(true);
    expect(el.shadowRoot?.querySelector('#field-requireVerbalConsent-origin')?.textContent).toBe(
      'Set by your administrator',
    );
  });
});

describe('options page: how long finished calls are kept', () => {
  beforeAll(() => defineOptionsElements());
  afterEach(() => document.body.replaceChildren());

  const field = (el: CcOptions) =>
    el.shadowRoot?.querySelector<HTMLInputElement>('#field-callDataRetentionHours');

  async function saving(settings: SettingsView) {
    const saved: Partial<Record<ConfigKey, unknown>>[] = [];
    const el = await mount({
      ...fakeApi(settings, async () => ({ ok: true, message: '' })),
      saveSettings: async (patch) => {
        saved.push(patch);
        return { saved: true, problems: [] };
      },
    });
    const type = async (text: string) => {
      const input = field(el);
      if (input) input.value = text;
      input?.dispatchEvent(new Event('input'));
      el.shadowRoot?.querySelector('form')?.requestSubmit();
      await new Promise((r) => setTimeout(r, 0));
      await el.updateComplete;
    };
    return { el, saved, type };
  }

  it('shows 4 hours by default and saves hours as a number, a decimal comma too', async () => {
    const { el, saved, type } = await saving(view({}));
    expect(field(el)?.value).toBe('4');
    await type('0,5');
    await type('24');
    expect(saved).toEqual([{ callDataRetentionHours: 0.5 }, { callDataRetentionHours: 24 }]);
  });

  it('refuses what is not a number, and goes back to the default when emptied', async () => {
    const { el, saved, type } = await saving(view({}));
    await type('four');
    expect(saved).toEqual([]);
    expect(
      el.shadowRoot?.querySelector('#field-callDataRetentionHours-error')?.textContent,
    ).toContain('is not a number');
    await type('');
    expect(saved).toEqual([{ callDataRetentionHours: null }]);
  });

  it('is locked when the administrator sets it by policy', async () => {
    const { el } = await saving(view({ callDataRetentionHours: 1 }));
    expect(field(el)?.value).toBe('1');
    expect(field(el)?.disabled).toBe(true);
  });
});
