import { describe, expect, it } from 'vitest';
import {
  type ConfigProblem,
  DEFAULT_CONFIG,
  type DetectionRule,
  type ResolvedConfig,
} from '../shared/config';
import { matchesAny } from '../shared/match-pattern';
import {
  CRM_SCRIPT_ID,
  createRuleScripts,
  DETECT_SCRIPT,
  RULE_SCRIPT_ID,
  type RuleScriptApis,
  SIDEBAR_SCRIPT,
} from './rule-scripts';

type Registered = Parameters<RuleScriptApis['scripting']['registerContentScripts']>[0][number];

/** `chrome.permissions` and `chrome.scripting` as far as rule scripts use them, in memory. */
function fakeApis(granted: string[], openTabs: { id: number; url: string }[] = []) {
  const registered = new Map<string, Registered>();
  const calls: string[] = [];
  const injected: string[] = [];
  const apis: RuleScriptApis = {
    permissions: {
      contains: async ({ origins }) => origins.every((o) => granted.includes(o)),
    },
    scripting: {
      getRegisteredContentScripts: async ({ ids }) =>
        ids.flatMap((id) => {
          const script = registered.get(id);
          return script ? [{ id, matches: script.matches }] : [];
        }),
      unregisterContentScripts: async ({ ids }) => {
        calls.push(`unregister ${ids.join()}`);
        for (const id of ids) {
          // Chrome rejects unregistering a script that is not registered.
          if (!registered.delete(id)) throw new Error(`Nonexistent script ID '${id}'`);
        }
      },
      registerContentScripts: async (scripts) => {
        calls.push(`register ${scripts.map((s) => s.id).join()}`);
        for (const script of scripts) {
          // Chrome rejects registering an id twice.
          if (registered.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
          registered.set(script.id, script);
        }
      },
      executeScript: async ({ target, files }) => {
        injected.push(`${target.tabId} ${files.join()} allFrames=${target.allFrames}`);
        return [];
      },
    },
    tabs: {
      query: async ({ url }) => openTabs.filter((tab) => matchesAny(tab.url, url)),
    },
  };
  return { apis, registered, calls, injected };
}

const DECLARED = ['https://flex.twilio.com/*', 'http://127.0.0.1/*', 'http://localhost/*'];

function setUp(
  rules: DetectionRule[],
  granted: string[] = [],
  problems: ConfigProblem[] = [],
  options: { crmMatches?: string[]; openTabs?: { id: number; url: string }[] } = {},
) {
  const fake = fakeApis(granted, options.openTabs);
  let current = rules;
  const scripts = createRuleScripts({
    apis: fake.apis,
    config: async () => ({
      config: {
        ...DEFAULT_CONFIG,
        detectionRules: current,
        crmMatches: options.crmMatches ?? DEFAULT_CONFIG.crmMatches,
      },
      // Where each key came from: rule scripts never read it.
      origins: {} as ResolvedConfig['origins'],
      problems,
    }),
    declaredMatches: DECLARED,
    sidebarDeclaredMatches: ['http://127.0.0.1/*', 'https://*.dynamics.com/*'],
    detectors: [
      { id: 'twilio-flex', applies: (url) => url.hostname === 'flex.twilio.com' },
      { id: 'never', applies: () => false },
    ],
  });
  return {
    ...fake,
    scripts,
    setRules(next: DetectionRule[]) {
      current = next;
    },
  };
}

const intranet: DetectionRule = {
  matches: ['https://phone.intranet.example/*'],
  selector: '#caller',
};
const partner: DetectionRule = { matches: ['https://cti.partner.example/*'], urlParam: 'ani' };
const loopback: DetectionRule = { matches: ['http://127.0.0.1:8080/*'], selector: '.caller' };

describe('rule scripts', () => {
  it('registers the detector script for granted rule origins only, sorted, once', async () => {
    const { scripts, registered } = setUp(
      [partner, intranet, loopback],
      ['https://phone.intranet.example/*', 'https://cti.partner.example/*'],
    );
    expect(await scripts.sync()).toEqual([
      'https://cti.partner.example/*',
      'https://phone.intranet.example/*',
    ]);
    expect(registered.get(RULE_SCRIPT_ID)).toEqual({
      id: RULE_SCRIPT_ID,
      matches: ['https://cti.partner.example/*', 'https://phone.intranet.example/*'],
      js: [DETECT_SCRIPT],
      runAt: 'document_idle',
      // Softphones embedded in a frame of the page, srcdoc and about:blank frames included.
      allFrames: true,
      matchOriginAsFallback: true,
      persistAcrossSessions: true,
    });
  });

  it('registers whole origins, which Chrome requires for scripts in srcdoc frames', async () => {
    const popPage: DetectionRule = {
      matches: ['https://crm.example.com/screenpop*'],
      urlParam: 'ani',
    };
    const { scripts, registered } = setUp([popPage], ['https://crm.example.com/*']);
    await scripts.sync();
    expect(registered.get(RULE_SCRIPT_ID)?.matches).toEqual(['https://crm.example.com/*']);
  });

  it('registers nothing anew when the reachable origins did not change', async () => {
    const { scripts, calls } = setUp([intranet], ['https://phone.intranet.example/*']);
    await scripts.sync();
    await scripts.sync();
    expect(calls).toEqual([`register ${RULE_SCRIPT_ID}`]);
  });

  it('runs the script at once in tabs already open on origins it newly covers', async () => {
    const { scripts, injected, setRules } = setUp(
      [intranet],
      ['https://phone.intranet.example/*', 'https://cti.partner.example/*'],
      [],
      {
        openTabs: [
          { id: 7, url: 'https://phone.intranet.example/queue' },
          { id: 8, url: 'https://cti.partner.example/pop' },
          { id: 9, url: 'https://shop.example.com/' },
        ],
      },
    );
    await scripts.sync();
    expect(injected).toEqual([`7 ${DETECT_SCRIPT} allFrames=true`]);
    setRules([intranet, partner]);
    await scripts.sync();
    // Tab 7 has the script already; only the newly covered tab gets it.
    expect(injected).toEqual([
      `7 ${DETECT_SCRIPT} allFrames=true`,
      `8 ${DETECT_SCRIPT} allFrames=true`,
    ]);
  });

  it('registers the sidebar for reachable CRM origins the manifest does not declare', async () => {
    const { scripts, registered, injected } = setUp([], ['https://crm.intranet.example/*'], [], {
      crmMatches: [
        'https://crm.intranet.example/*',
        'https://contoso.crm4.dynamics.com/*',
        'https://crm.elsewhere.example/*',
      ],
      openTabs: [{ id: 3, url: 'https://crm.intranet.example/case/1' }],
    });
    await scripts.sync();
    expect(registered.get(CRM_SCRIPT_ID)).toEqual({
      id: CRM_SCRIPT_ID,
      matches: ['https://crm.intranet.example/*'],
      js: [SIDEBAR_SCRIPT],
      runAt: 'document_idle',
      allFrames: false,
      persistAcrossSessions: true,
    });
    expect(injected).toEqual([`3 ${SIDEBAR_SCRIPT} allFrames=false`]);
  });

  it('leaves out origins the manifest already covers, ports included', async () => {
    const { scripts, registered } = setUp([loopback], ['http://127.0.0.1:8080/*']);
    expect(await scripts.sync()).toEqual([]);
    expect(registered.size).toBe(0);
  });

  it('replaces what it registered before, and unregisters when nothing is left', async () => {
    const { scripts, registered, calls, setRules } = setUp(
      [intranet],
      ['https://phone.intranet.example/*', 'https://cti.partner.example/*'],
    );
    await scripts.sync();
    setRules([partner]);
    await scripts.sync();
    expect(registered.get(RULE_SCRIPT_ID)?.matches).toEqual(['https://cti.partner.example/*']);
    setRules([]);
    expect(await scripts.sync()).toEqual([]);
    expect(registered.size).toBe(0);
    expect(calls).toEqual([
      `register ${RULE_SCRIPT_ID}`,
      `unregister ${RULE_SCRIPT_ID}`,
      `register ${RULE_SCRIPT_ID}`,
      `unregister ${RULE_SCRIPT_ID}`,
    ]);
  });

  it('gives a page the rules whose matches cover it', async () => {
    const { scripts } = setUp([intranet, partner]);
    expect(await scripts.rulesFor('https://phone.intranet.example/queue?x=1')).toEqual({
      rules: [intranet],
    });
    expect(await scripts.rulesFor('https://shop.example.com/')).toEqual({ rules: [] });
  });

  it('reports per rule whether it applies and whether its pages are declared, granted or needed', async () => {
    const { scripts } = setUp(
      [intranet, partner, loopback],
      ['https://cti.partner.example/*'],
      [
        { origin: 'policy', key: 'detectionRules', message: 'rule 4: selector is not valid CSS' },
        { origin: 'agent', key: 'gatewayUrl', message: 'not a URL' },
        { origin: 'agent', key: 'detectionRules', message: 'rule 5: matches is required' },
      ],
    );
    const status = await scripts.status('https://cti.partner.example/pop?ani=1');
    expect(status).toEqual({
      url: 'https://cti.partner.example/pop?ani=1',
      detectors: [],
      rules: [
        {
          rule: 1,
          matches: intranet.matches,
          applies: false,
          access: 'needed',
        },
        { rule: 2, matches: partner.matches, applies: true, access: 'granted' },
        { rule: 3, matches: loopback.matches, applies: false, access: 'declared' },
      ],
      problems: [
        'Policy: rule 4: selector is not valid CSS',
        'Your settings: rule 5: matches is required',
      ],
    });
  });

  it('names the built-in detectors that read a page, and none for text that is not a URL', async () => {
    const { scripts } = setUp([]);
    expect((await scripts.status('https://flex.twilio.com/agent-desktop')).detectors).toEqual([
      'twilio-flex',
    ]);
    expect((await scripts.status('not a url')).detectors).toEqual([]);
  });
});
