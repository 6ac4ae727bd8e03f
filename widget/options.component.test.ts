// @vitest-environment happy-dom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CONFIG_KEYS,
  type ConfigKey,
  DEFAULT_CONFIG,
  type ExtensionConfig,
} from '../shared/config';
import type { SettingsView } from '../shared/protocol';
import { defineOptionsElements } from './define';
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
