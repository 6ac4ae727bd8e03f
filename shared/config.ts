import type { Disposition } from './after-call';
import { type CrmActions, validateCrmActions } from './crm-actions';
import { isCountryCode } from './identity';
import { parseMatchPattern } from './match-pattern';
import { isSecureOrLoopback } from './secure-url';

/**
 * The extension's one typed configuration (docs/architecture.md, "Extension configuration"). Key names are a
 * public contract: admins push them by policy (extension/public/managed-schema.json).
 */
export interface DetectionRule {
  matches: string[];
  selector?: string;
  pattern?: string;
  urlParam?: string;
  titlePattern?: string;
}

/** The organisation's OpenID Connect provider, for agents' sign-in to the gateway. */
export interface OidcSettings {
  /** The issuer URL; its `/.well-known/openid-configuration` names the endpoints. */
  issuer: string;
  clientId: string;
  /** Default: openid profile email offline_access. */
  scopes?: string[];
  /** Sent as `audience` (and `resource`) where the provider needs one for the gateway's API. */
  audience?: string;
}

export interface ExtensionConfig {
  gatewayUrl: string;
  gatewayToken?: string;
  /** When set, agents sign in and the gateway gets their access token instead of `gatewayToken`. */
  oidc?: OidcSettings;
  defaultRegion: string;
  detectionRules: DetectionRule[];
  crmMatches: string[];
  /**
   * When set, built-in detectors read only pages these patterns match (or `crmMatches`): the
   * organisation's own tenants on shared domains such as `*.dynamics.com` or `*.my.connect.aws`,
   * so that a link to an outsider's tenant cannot pop a caller of the outsider's choosing.
   */
  tenantMatches: string[];
  /** Where the sidebar shows: beside the CRM page (in it) or in the browser's side panel. */
  sidebarPlacement: SidebarPlacement;
  /** How long a caller's context may be reused from the cache; 0 turns the cache off. */
  cacheTtlSeconds: number;
  /** Dynamics 365 read directly with the agent's own Entra ID sign-in, beside the gateway. */
  dynamicsDirect?: DynamicsDirectConfig;
  /** Codes the agent picks from at wrap-up, in the order shown. */
  dispositions: Disposition[];
  /** URL templates of the CRM's own pages the sidebar links to (search, create, open a record). */
  crmActions: CrmActions;
  /**
   * What the sidebar shows where the customer denied personalisation: `mask` says how many
   * events are hidden, `hide` leaves the section out. Either way the events stay in the background.
   */
  consentMasking: ConsentMasking;
  /**
   * For a caller no profile matches (anonymous), nothing past the number is looked up until the
   * agent records the caller's spoken permission in the sidebar (then their web activity shows).
   */
  requireVerbalConsent: boolean;
  /**
   * Hours a finished call's personal data (the caller's context, live activity, wrap-up draft,
   * the delivered after-call event) stays in the browser after wrap-up, or after the end of a
   * call never wrapped up. Fractions allowed (0.5: 30 minutes); the audit list keeps its own 90 days.
   */
  callDataRetentionHours: number;
}

export type ConsentMasking = 'hide' | 'mask';

export type SidebarPlacement = 'page' | 'sidePanel';
export interface DynamicsDirectConfig {
  /** The organization URL, e.g. https://contoso.crm4.dynamics.com. */
  orgUrl: string;
  /** The Entra ID tenant (id or domain). */
  tenantId: string;
  /** The app registration's client id; its redirect URI is the extension's identity URL. */
  clientId: string;
}

/** Longest cache lifetime an admin may set: customer data must not linger in the browser. */
export const MAX_CACHE_TTL_SECONDS = 3600;
/** Longest retention of a finished call's data an admin may set: 7 days. */
export const MAX_CALL_DATA_RETENTION_HOURS = 168;

export type ConfigKey = keyof ExtensionConfig;
export type ConfigOrigin = 'policy' | 'agent' | 'default';

export const DEFAULT_CONFIG: ExtensionConfig = {
  // The demo gateway (`npm run demo`); production deployments set their own by policy.
  gatewayUrl: 'http://127.0.0.1:8787',
  gatewayToken: 'demo-token',
  defaultRegion: 'GB',
  detectionRules: [],
  crmMatches: ['http://127.0.0.1/crm*', 'http://localhost/crm*'],
  tenantMatches: [],
  sidebarPlacement: 'page',
  cacheTtlSeconds: 60,
  dispositions: [
    { code: 'resolved', label: 'Resolved' },
    { code: 'follow_up', label: 'Follow-up needed' },
    { code: 'escalated', label: 'Escalated' },
    { code: 'sale', label: 'Sale made' },
    { code: 'complaint', label: 'Complaint' },
    { code: 'wrong_number', label: 'Wrong number' },
  ],
  crmActions: {},
  consentMasking: 'mask',
  requireVerbalConsent: false,
  // Calls are matched and shown for 4 hours after they ring (background/call-sessions.ts), so
  // nothing the sidebar can show needs a finished call's data longer than that.
  callDataRetentionHours: 4,
};

function matchPatternList(value: unknown): string[] | Error {
  if (!Array.isArray(value)) return new Error('must be a list of match patterns');
  for (const p of value) {
    if (typeof p !== 'string') return new Error('must be a list of match patterns');
    const parsed = parseMatchPattern(p);
    if (parsed instanceof Error) return parsed;
  }
  return value as string[];
}

export interface ConfigProblem {
  origin: Exclude<ConfigOrigin, 'default'>;
  key: string;
  message: string;
}

export interface ResolvedConfig {
  config: ExtensionConfig;
  origins: Record<ConfigKey, ConfigOrigin>;
  problems: ConfigProblem[];
}

/**
 * A list value where some items were bad: the good ones apply, each bad one is reported (an
 * admin's one broken detection rule must not switch off the others).
 */
export class PartlyValid<T> {
  constructor(
    readonly value: T,
    readonly problems: string[],
  ) {}
}

type Validator<K extends ConfigKey> = (
  value: unknown,
) => ExtensionConfig[K] | PartlyValid<ExtensionConfig[K]> | Error;

const validators: { [K in ConfigKey]-?: Validator<K> } = {
  gatewayUrl(value) {
    if (typeof value !== 'string') return new Error('must be a URL');
    try {
      const url = new URL(value);
      if (!isSecureOrLoopback(url))
        return new Error('must use https (plain http only on loopback)');
      return url.href.replace(/\/$/, '');
    } catch {
      return new Error(`"${value}" is not a URL`);
    }
  },
  gatewayToken(value) {
    return typeof value === 'string' && value.length > 0 ? value : new Error('must be a string');
  },
  oidc(value) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return new Error('must be an object with issuer and clientId');
    const v = value as Record<string, unknown>;
    const issuer = validators.gatewayUrl(v.issuer);
    if (issuer instanceof Error) return new Error(`issuer ${issuer.message}`);
    if (typeof issuer !== 'string') return new Error('issuer must be a URL');
    if (typeof v.clientId !== 'string' || v.clientId.length === 0)
      return new Error('clientId must be a string');
    const oidc: OidcSettings = { issuer, clientId: v.clientId };
    if (v.scopes !== undefined) {
      if (!Array.isArray(v.scopes) || !v.scopes.every((x) => typeof x === 'string'))
        return new Error('scopes must be a list of strings');
      oidc.scopes = v.scopes as string[];
    }
    if (v.audience !== undefined) {
      if (typeof v.audience !== 'string') return new Error('audience must be a string');
      oidc.audience = v.audience;
    }
    return oidc;
  },
  defaultRegion(value) {
    if (typeof value !== 'string' || !isCountryCode(value.toUpperCase()))
      return new Error('must be a two-letter region code such as GB or US');
    return value.toUpperCase();
  },
  detectionRules(value) {
    if (!Array.isArray(value)) return new Error('must be a list of rules');
    const rules: DetectionRule[] = [];
    const problems: string[] = [];
    for (const [i, item] of value.entries()) {
      const rule = validateRule(item);
      if (rule instanceof Error) problems.push(`rule ${i + 1}: ${rule.message}`);
      else rules.push(rule);
    }
    return problems.length > 0 ? new PartlyValid(rules, problems) : rules;
  },
  crmMatches: matchPatternList,
  tenantMatches: matchPatternList,
  sidebarPlacement(value) {
    return value === 'page' || value === 'sidePanel'
      ? value
      : new Error('must be "page" or "sidePanel"');
  },
  cacheTtlSeconds(value) {
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < 0 ||
      value > MAX_CACHE_TTL_SECONDS
    )
      return new Error(`must be a whole number of seconds from 0 to ${MAX_CACHE_TTL_SECONDS}`);
    return value;
  },
  dynamicsDirect(value) {
    if (typeof value !== 'object' || value === null)
      return new Error('must be { "orgUrl", "tenantId", "clientId" }');
    const v = value as Record<string, unknown>;
    for (const key of ['orgUrl', 'tenantId', 'clientId'] as const)
      if (typeof v[key] !== 'string' || v[key] === '') return new Error(`"${key}" is required`);
    let url: URL;
    try {
      url = new URL(v.orgUrl as string);
    } catch {
      return new Error('"orgUrl" is not a URL');
    }
    if (!isSecureOrLoopback(url)) return new Error('"orgUrl" must use https');
    return {
      orgUrl: url.origin,
      tenantId: v.tenantId as string,
      clientId: v.clientId as string,
    };
  },
  dispositions(value) {
    if (!Array.isArray(value) || value.length === 0)
      return new Error('must be a list of at least one { code, label }');
    const codes = new Set<string>();
    for (const [i, item] of value.entries()) {
      const d = item as Partial<Disposition> | null;
      if (
        typeof d !== 'object' ||
        d === null ||
        typeof d.code !== 'string' ||
        !/^[A-Za-z0-9_.-]{1,64}$/.test(d.code) ||
        typeof d.label !== 'string' ||
        d.label.length === 0 ||
        d.label.length > 128
      )
        return new Error(`item ${i + 1}: needs a "code" (letters, digits, _ . -) and a "label"`);
      if (codes.has(d.code)) return new Error(`item ${i + 1}: code "${d.code}" is listed twice`);
      codes.add(d.code);
    }
    return (value as Disposition[]).map((d) => ({ code: d.code, label: d.label }));
  },
  crmActions(value) {
    return validateCrmActions(value);
  },
  consentMasking(value) {
    return value === 'hide' || value === 'mask' ? value : new Error('must be "hide" or "mask"');
  },
  requireVerbalConsent(value) {
    return typeof value === 'boolean' ? value : new Error('must be true or false');
  },
  callDataRetentionHours(value) {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < 0 ||
      value > MAX_CALL_DATA_RETENTION_HOURS
    )
      return new Error(`must be a number of hours from 0 to ${MAX_CALL_DATA_RETENTION_HOURS}`);
    return value;
  },
};

export function validateRule(item: unknown): DetectionRule | Error {
  if (typeof item !== 'object' || item === null) return new Error('must be an object');
  const r = item as Record<string, unknown>;
  if (!Array.isArray(r.matches) || r.matches.length === 0)
    return new Error('"matches" must list at least one match pattern');
  for (const p of r.matches) {
    const parsed = typeof p === 'string' ? parseMatchPattern(p) : new Error('bad match pattern');
    if (parsed instanceof Error) return parsed;
  }
  const rule: DetectionRule = { matches: r.matches as string[] };
  for (const key of ['selector', 'pattern', 'urlParam', 'titlePattern'] as const) {
    const v = r[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0) return new Error(`"${key}" must be a string`);
    rule[key] = v;
  }
  if (!rule.selector && !rule.urlParam && !rule.titlePattern)
    return new Error('needs a "selector", a "urlParam" or a "titlePattern"');
  for (const key of ['pattern', 'titlePattern'] as const) {
    const source = rule[key];
    if (source === undefined) continue;
    try {
      new RegExp(source);
    } catch {
      return new Error(`"${key}" is not a valid regular expression`);
    }
  }
  return rule;
}

export const CONFIG_KEYS = Object.keys(validators) as ConfigKey[];

export function isConfigKey(key: string): key is ConfigKey {
  return key in validators;
}

/** Checks one setting as the options page edits it; the value to store, or why not. */
export function validateSetting<K extends ConfigKey>(
  key: K,
  value: unknown,
): ExtensionConfig[K] | Error {
  const result = (validators[key] as Validator<K>)(value);
  // What an agent saves must be whole: a partly valid list is refused with its problems.
  return result instanceof PartlyValid ? new Error(result.problems.join('; ')) : result;
}

/**
 * Policy wins over the agent's own settings, which win over defaults. A value that fails
 * validation is reported and ignored (the next layer applies), never half-applied.
 */
export function resolveConfig(layers: { policy?: unknown; agent?: unknown }): ResolvedConfig {
  const config: ExtensionConfig = { ...DEFAULT_CONFIG };
  const origins = Object.fromEntries(
    (Object.keys(validators) as ConfigKey[]).map((k) => [k, 'default']),
  ) as Record<ConfigKey, ConfigOrigin>;
  const problems: ConfigProblem[] = [];
  for (const origin of ['agent', 'policy'] as const) {
    const layer = layers[origin];
    if (layer === undefined || layer === null) continue;
    if (typeof layer !== 'object') {
      problems.push({ origin, key: '*', message: 'settings must be an object' });
      continue;
    }
    for (const [key, value] of Object.entries(layer)) {
      if (!(key in validators)) continue;
      const k = key as ConfigKey;
      const result = (validators[k] as Validator<ConfigKey>)(value);
      if (result instanceof Error) {
        problems.push({ origin, key, message: result.message });
        continue;
      }
      if (result instanceof PartlyValid) {
        for (const message of result.problems) problems.push({ origin, key, message });
        (config as unknown as Record<ConfigKey, unknown>)[k] = result.value;
        origins[k] = origin;
        continue;
      }
      (config as unknown as Record<ConfigKey, unknown>)[k] = result;
      origins[k] = origin;
    }
  }
  return { config, origins, problems };
}
