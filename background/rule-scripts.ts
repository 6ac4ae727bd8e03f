import type { DetectionRule, ResolvedConfig } from '../shared/config';
import type { DetectionStatus, PageRules } from '../shared/detection-status';
import { matchesAny } from '../shared/match-pattern';

/** The parts of `chrome.permissions` and `chrome.scripting` used here, so tests hand in fakes. */
export interface RuleScriptApis {
  permissions: { contains(p: { origins: string[] }): Promise<boolean> };
  scripting: {
    getRegisteredContentScripts(filter: { ids: string[] }): Promise<{ id: string }[]>;
    unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
    registerContentScripts(
      scripts: {
        id: string;
        matches: string[];
        js: string[];
        runAt: 'document_idle';
        allFrames: boolean;
        persistAcrossSessions: boolean;
      }[],
    ): Promise<void>;
  };
}

export const RULE_SCRIPT_ID = 'admin-detection-rules';
/** The detector content script as WXT builds it. */
export const DETECT_SCRIPT = 'content-scripts/detect.js';

export interface RuleScriptsDeps {
  apis: RuleScriptApis;
  config(): Promise<ResolvedConfig>;
  /** Match patterns the manifest declares the detector content script for. */
  declaredMatches: readonly string[];
  /** The built-in detectors, for the status of a page. */
  detectors: readonly { id: string; applies(url: URL): boolean }[];
}

/** Admin rules' pages: read by a content script registered once their origins are granted. */
export function createRuleScripts(deps: RuleScriptsDeps) {
  const declared = (pattern: string) =>
    deps.declaredMatches.includes(pattern) || isCoveredByDeclared(pattern, deps.declaredMatches);

  const access = async (
    rule: DetectionRule,
  ): Promise<DetectionStatus['rules'][number]['access']> => {
    if (rule.matches.every(declared)) return 'declared';
    const undeclared = rule.matches.filter((m) => !declared(m));
    return (await deps.apis.permissions.contains({ origins: undeclared })) ? 'granted' : 'needed';
  };

  return {
    /**
     * Registers the detector script for every granted admin-rule origin the manifest does not
     * already cover, replacing what was registered before; called at start, when the config
     * changes and when the agent grants origins.
     */
    async sync(): Promise<string[]> {
      const { config } = await deps.config();
      const wanted = new Set<string>();
      for (const rule of config.detectionRules)
        for (const pattern of rule.matches)
          if (!declared(pattern) && (await deps.apis.permissions.contains({ origins: [pattern] })))
            wanted.add(pattern);
      const matches = [...wanted].sort();
      const existing = await deps.apis.scripting.getRegisteredContentScripts({
        ids: [RULE_SCRIPT_ID],
      });
      if (existing.length > 0)
        await deps.apis.scripting.unregisterContentScripts({ ids: [RULE_SCRIPT_ID] });
      if (matches.length > 0)
        await deps.apis.scripting.registerContentScripts([
          {
            id: RULE_SCRIPT_ID,
            matches,
            js: [DETECT_SCRIPT],
            runAt: 'document_idle',
            allFrames: false,
            persistAcrossSessions: true,
          },
        ]);
      return matches;
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

/** A pattern such as `http://127.0.0.1:8080/*` is covered by a declared `http://127.0.0.1/*`. */
function isCoveredByDeclared(pattern: string, declaredMatches: readonly string[]): boolean {
  const m = /^([a-z*]+):\/\/([^/:]+)(?::\d+)?(\/.*)$/.exec(pattern);
  if (!m) return false;
  const [, scheme, host] = m;
  return declaredMatches.some((d) => d === `${scheme}://${host}/*`);
}

export type RuleScripts = ReturnType<typeof createRuleScripts>;
