import type { DetectionRule, ResolvedConfig } from '../shared/config';
import type { DetectionStatus, PageRules } from '../shared/detection-status';
import { matchesAny, patternCovers } from '../shared/match-pattern';

/** The parts of `chrome.permissions`, `chrome.scripting` and `chrome.tabs` used here, so tests hand in fakes. */
export interface RuleScriptApis {
  permissions: { contains(p: { origins: string[] }): Promise<boolean> };
  scripting: {
    getRegisteredContentScripts(filter: {
      ids: string[];
    }): Promise<{ id: string; matches?: string[] }[]>;
    unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
    registerContentScripts(scripts: RegisteredScript[]): Promise<void>;
    executeScript(injection: {
      target: { tabId: number; allFrames: boolean };
      files: string[];
    }): Promise<unknown>;
  };
  tabs: { query(filter: { url: string[] }): Promise<{ id?: number }[]> };
}

export interface RegisteredScript {
  id: string;
  matches: string[];
  js: string[];
  runAt: 'document_idle';
  allFrames: boolean;
  /** about:blank, srcdoc and blob: frames of a matched page (the softphone a CRM builds itself). */
  matchOriginAsFallback?: boolean;
  persistAcrossSessions: boolean;
}

export const RULE_SCRIPT_ID = 'admin-detection-rules';
/** The sidebar's content script on CRM pages that `crmMatches` names outside the manifest's list. */
export const CRM_SCRIPT_ID = 'admin-crm-pages';
/** The detector content script as WXT builds it. */
export const DETECT_SCRIPT = 'content-scripts/detect.js';
/** The sidebar's content script as WXT builds it. */
export const SIDEBAR_SCRIPT = 'content-scripts/sidebar-frame.js';

export interface RuleScriptsDeps {
  apis: RuleScriptApis;
  config(): Promise<ResolvedConfig>;
  /** Match patterns the manifest declares the detector content script for. */
  declaredMatches: readonly string[];
  /** Match patterns the manifest declares the sidebar's content script for. */
  sidebarDeclaredMatches?: readonly string[];
  /** The built-in detectors, for the status of a page. */
  detectors: readonly { id: string; applies(url: URL): boolean }[];
}

/**
 * Admin rules' pages and admin-named CRM pages outside the manifest's lists: their content
 * scripts are registered at run time for the origins the extension may reach (declared in the
 * enterprise package, granted in the default one), and run at once in tabs already open there.
 */
export function createRuleScripts(deps: RuleScriptsDeps) {
  const covered = (pattern: string, declaredList: readonly string[]) =>
    declaredList.some((d) => patternCovers(d, pattern));
  const declared = (pattern: string) => covered(pattern, deps.declaredMatches);

  const access = async (
    rule: DetectionRule,
  ): Promise<DetectionStatus['rules'][number]['access']> => {
    if (rule.matches.every(declared)) return 'declared';
    const undeclared = rule.matches.filter((m) => !declared(m));
    return (await deps.apis.permissions.contains({ origins: undeclared })) ? 'granted' : 'needed';
  };

  const reachable = async (patterns: readonly string[], declaredList: readonly string[]) => {
    const wanted = new Set<string>();
    for (const pattern of patterns)
      if (
        !covered(pattern, declaredList) &&
        (await deps.apis.permissions.contains({ origins: [pattern] }))
      )
        wanted.add(pattern);
    return [...wanted].sort();
  };

  /** Registers `script` for `matches` (none: unregisters); tabs open on new matches get it now. */
  const replace = async (
    script: Omit<RegisteredScript, 'matches' | 'runAt' | 'persistAcrossSessions'>,
    matches: string[],
  ): Promise<void> => {
    const [existing] = await deps.apis.scripting.getRegisteredContentScripts({ ids: [script.id] });
    const before = existing?.matches ?? [];
    if (existing && before.length === matches.length && before.every((m, i) => m === matches[i]))
      return;
    if (existing) await deps.apis.scripting.unregisterContentScripts({ ids: [script.id] });
    if (matches.length > 0)
      await deps.apis.scripting.registerContentScripts([
        { ...script, matches, runAt: 'document_idle', persistAcrossSessions: true },
      ]);
    // A registered script runs in pages loaded from now on; pages open already (the browser just
    // started, the policy arrived seconds later) get it here. The scripts run once per page.
    const added = matches.filter((m) => !before.includes(m));
    if (added.length === 0) return;
    const tabs = await deps.apis.tabs.query({ url: added }).catch(() => []);
    await Promise.all(
      tabs.map((tab) =>
        tab.id === undefined
          ? undefined
          : deps.apis.scripting
              .executeScript({
                target: { tabId: tab.id, allFrames: script.allFrames },
                files: script.js,
              })
              .catch(() => {
                // A tab that navigated away or shows an error page meanwhile: nothing to read.
              }),
      ),
    );
  };

  return {
    /**
     * Registers the detector script for every reachable admin-rule origin the manifest does not
     * already cover, and the sidebar's script for such `crmMatches` origins, replacing what was
     * registered before; called at start, when the config changes and when the agent grants
     * origins. Answers the detector script's origins.
     */
    async sync(): Promise<string[]> {
      const { config } = await deps.config();
      // Whole origins: Chrome runs a registered script in about:blank and srcdoc frames only
      // for patterns whose path is `*` (and refuses the rest); each rule still checks its own.
      const ruleMatches = await reachable(
        config.detectionRules.flatMap((rule) => rule.matches.map(wholeOrigin)),
        deps.declaredMatches,
      );
      const crmMatches = await reachable(config.crmMatches, deps.sidebarDeclaredMatches ?? []);
      await replace(
        { id: RULE_SCRIPT_ID, js: [DETECT_SCRIPT], allFrames: true, matchOriginAsFallback: true },
        ruleMatches,
      );
      await replace({ id: CRM_SCRIPT_ID, js: [SIDEBAR_SCRIPT], allFrames: false }, crmMatches);
      return ruleMatches;
    },

    /** The admin rules that apply to a page (what its content script asks for). */
    async rulesFor(url: string): Promise<PageRules> {
      const { config } = await deps.config();
      return { rules: config.detectionRules.filter((r) => matchesAny(url, r.matches)) };
    },

    /** For the options page: who reads `url`, and what is wrong with the rules. */
    async status(url: string): Promise<DetectionStatus> {
      const { config, problems } = await deps.config();
      let parsed: URL | undefined;
      try {
        parsed = new URL(url);
      } catch {
        parsed = undefined;
      }
      const rules = [];
      for (const [i, rule] of config.detectionRules.entries())
        rules.push({
          rule: i + 1,
          matches: rule.matches,
          applies: matchesAny(url, rule.matches),
          access: await access(rule),
        });
      return {
        url,
        detectors: parsed ? deps.detectors.filter((d) => d.applies(parsed)).map((d) => d.id) : [],
        rules,
        problems: problems
          .filter((p) => p.key === 'detectionRules')
          .map((p) => `${p.origin === 'policy' ? 'Policy' : 'Your settings'}: ${p.message}`),
      };
    },
  };
}

/** `https://crm.example.com/screenpop*` -> `https://crm.example.com/*`. */
export function wholeOrigin(pattern: string): string {
  const m = /^([^:]+:\/\/[^/]*)\/.*$/.exec(pattern);
  return m ? `${m[1]}/*` : pattern;
}

export type RuleScripts = ReturnType<typeof createRuleScripts>;
