import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type ConversationsConfig,
  parseConversationsConfig,
} from './conversations/conversation-config';
import { parseSupervisorClaim, type SupervisorClaim } from './conversations/supervisor-role';
import {
  type AgentConfig,
  type IvrConfig,
  parseAgents,
  parseIvrConfig,
  parseRoutingConfig,
  reportSharedIvrTokens,
} from './ivr/ivr-config';
import type { RoutingConfig } from './ivr/routing';
import { isRecord } from './json-shape';
import {
  type DeliveryConfig,
  type LiveBufferConfig,
  type LogConfig,
  parseDelivery,
  parseLiveBuffer,
  parseLog,
  parseRateLimits,
  parseRequiredRole,
  parseSiteKeys,
  type RateLimitsConfig,
  type SiteKeyConfig,
} from './limits-config';
import { sinkTypes } from './sinks/registry';
import { sourceTypeNames, sourceTypes } from './sources/registry';
import type { SourceConfig } from './sources/source';
import { parseStoreConfig, type StoreConfig } from './store/store-config';

/** The gateway's configuration (docs/architecture.md, "Gateway configuration"), defaults filled in. */
export interface GatewayConfig {
  listen: { host: string; port: number };
  auth: {
    /** Agents' bearer tokens: every /v1 route. */
    tokens: string[];
    /** Write-only keys that a website may embed: POST /v1/collect only. */
    collectTokens: string[];
    /** Agents' OIDC sign-in: bearer JWTs verified against the issuer's keys (every /v1 route). */
    oidc?: OidcConfig;
    /** Public keys of websites: POST /v1/collect only, with a signed identity token. */
    siteKeys: SiteKeyConfig[];
    /** IVR keys: `/v1/ivr/*` only, and nothing else (README, "IVR"). */
    ivrTokens: string[];
    /** Static agent tokens with who holds them (presence, "make me their manager"). */
    agents: AgentConfig[];
  };
  sources: SourceConfig[];
  /** Where after-call events go, each from the durable delivery queue (gateway/delivery.ts). */
  sinks: SinkConfig[];
  /** Web origins allowed besides extension origins, which are always allowed. */
  cors: { origins: string[] };
  sourceTimeoutMs: number;
  /** Where state that outlives a request lives: memory (one process) or Redis (replicas). */
  store: StoreConfig;
  /** Requests a minute per key, client address and principal. */
  rateLimits: RateLimitsConfig;
  /** Caps of the buffer of collected web events. */
  liveBuffer: LiveBufferConfig;
  log: LogConfig;
  /** Leases and attempts of after-call deliveries. */
  delivery: DeliveryConfig;
  /** Where the IVR lookup routes callers (README, "IVR"). */
  routing: RoutingConfig;
  /** The IVR lookup's budget and how long it keeps a caller's context for the agent. */
  ivr: IvrConfig;
  /** Conversations shared by the agents on a call (README, "Conversations"). */
  conversations: ConversationsConfig;
  /** Folder that relative paths in the config resolve against (the config file's folder). */
  baseDir: string;
}

export interface OidcConfig {
  /** The `iss` tokens must carry, e.g. https://login.microsoftonline.com/<tenant>/v2.0. */
  issuer: string;
  /** The `aud` tokens must carry: the gateway's app id or URI at the identity provider. */
  audience: string;
  /** The issuer's JWKS; found through its discovery document when left out. */
  jwksUrl?: string;
  /** A role (`roles`) or scope (`scp`, `scope`) the token must carry. */
  requiredRole?: string;
  /** The claim that marks a supervisor (README, "Supervisors"). */
  supervisor?: SupervisorClaim;
}

export interface SinkConfig {
  id: string;
  type: string;
  [key: string]: unknown;
}

export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 8787 } as const;
export const DEFAULT_SOURCE_TIMEOUT_MS = 3000;
const MAX_SOURCE_TIMEOUT_MS = 60_000;

/** Every problem found, each naming its key, so an admin can fix them all in one go. */
export class GatewayConfigError extends Error {
  override name = 'GatewayConfigError';
  constructor(
    readonly problems: string[],
    where = 'gateway config',
  ) {
    super(`invalid ${where}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const TOP_LEVEL_KEYS = [
  'listen',
  'auth',
  'sources',
  'sinks',
  'cors',
  'sourceTimeoutMs',
  'store',
  'rateLimits',
  'liveBuffer',
  'log',
  'delivery',
  'routing',
  'ivr',
  'conversations',
];
const ID = /^[a-z0-9][a-z0-9_-]{0,63}$/i;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** A key that sounds like it holds a secret itself instead of naming its env var. */
const SECRET_KEY = /(secret|password|passwd|token|apikey|privatekey)$/i;
/** RFC 6750 bearer token characters; anything else would never match a header. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export async function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new GatewayConfigError([`cannot read the file (${code})`], `gateway config ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'not JSON';
    throw new GatewayConfigError([`not valid JSON: ${reason}`], `gateway config ${file}`);
  }
  try {
    return parseGatewayConfig(json, { baseDir: path.dirname(path.resolve(file)) });
  } catch (error) {
    if (error instanceof GatewayConfigError)
      throw new GatewayConfigError(error.problems, `gateway config ${file}`);
    throw error;
  }
}

/**
 * Checks a parsed config file and fills in defaults. Messages name keys and never repeat values,
 * which may be tokens.
 */
export function parseGatewayConfig(
  json: unknown,
  options: { baseDir?: string } = {},
): GatewayConfig {
  const problems: string[] = [];
  const report = (key: string, message: string) => problems.push(`${key}: ${message}`);
  if (!isRecord(json)) throw new GatewayConfigError(['the config must be a JSON object']);

  reportUnknownKeys(json, '', TOP_LEVEL_KEYS, report);
  const config: GatewayConfig = {
    listen: parseListen(json.listen, report),
    auth: parseAuth(json.auth, report),
    sources: parseSources(json.sources, report),
    sinks: parseSinks(json.sinks, report),
    cors: parseCors(json.cors, report),
    sourceTimeoutMs: parseTimeout(json.sourceTimeoutMs, report),
    store: parseStoreConfig(json.store, report),
    rateLimits: parseRateLimits(json.rateLimits, report),
    liveBuffer: parseLiveBuffer(json.liveBuffer, report),
    log: parseLog(json.log, report),
    delivery: parseDelivery(json.delivery, report),
    routing: parseRoutingConfig(json.routing, report),
    ivr: parseIvrConfig(json.ivr, report),
    conversations: parseConversationsConfig(json.conversations, report),
    baseDir: options.baseDir ?? process.cwd(),
  };
  if (problems.length > 0) throw new GatewayConfigError(problems);
  return config;
}

type Report = (key: string, message: string) => void;

function parseListen(value: unknown, report: Report): GatewayConfig['listen'] {
  if (value === undefined) return { ...DEFAULT_LISTEN };
  if (!isRecord(value)) {
    report('listen', 'must be an object like { "host": "127.0.0.1", "port": 8787 }');
    return { ...DEFAULT_LISTEN };
  }
  reportUnknownKeys(value, 'listen', ['host', 'port'], report);
  const { host = DEFAULT_LISTEN.host, port = DEFAULT_LISTEN.port } = value;
  if (typeof host !== 'string' || host.trim() === '')
    report('listen.host', 'must be a host name or IP address');
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
    report('listen.port', 'must be a whole number from 0 to 65535 (0: any free port)');
  return { host: String(host), port: Number(port) };
}

function parseAuth(value: unknown, report: Report): GatewayConfig['auth'] {
  const auth: GatewayConfig['auth'] = {
    tokens: [],
    collectTokens: [],
    ivrTokens: [],
    agents: [],
    siteKeys: [],
  };
  if (!isRecord(value)) {
    report('auth', 'is required: { "tokens": ["..."] } with the bearer tokens agents use');
    return auth;
  }
  const authKeys = ['tokens', 'collectTokens', 'oidc', 'ivrTokens', 'agents', 'siteKeys'];
  reportUnknownKeys(value, 'auth', authKeys, report);
  if (value.oidc !== undefined) {
    const oidc = parseOidc(value.oidc, report);
    if (oidc) Object.assign(auth, { oidc });
  }
  auth.tokens = parseTokens(value.tokens, 'auth.tokens', report);
  if (value.tokens !== undefined && auth.tokens.length === 0 && Array.isArray(value.tokens))
    report('auth.tokens', 'needs at least one token');
  if (value.tokens === undefined && value.oidc === undefined && value.agents === undefined)
    report('auth.tokens', 'is required: the bearer tokens agents use');
  if (value.collectTokens !== undefined)
    auth.collectTokens = parseTokens(value.collectTokens, 'auth.collectTokens', report);
  auth.siteKeys = parseSiteKeys(value.siteKeys, report);
  auth.ivrTokens = parseTokens(value.ivrTokens, 'auth.ivrTokens', report);
  auth.agents = parseAgents(value.agents, report);
  reportSharedIvrTokens(auth, report);
  auth.collectTokens.forEach((token, i) => {
    // A collect key is public (it sits in a website's page), so it must not also open /v1.
    if (auth.tokens.includes(token))
      report(`auth.collectTokens[${i}]`, 'is also in auth.tokens; use a different key');
  });
  return auth;
}

function parseOidc(value: unknown, report: Report): OidcConfig | undefined {
  if (!isRecord(value)) {
    report('auth.oidc', 'must be an object like { "issuer": "https://...", "audience": "..." }');
    return undefined;
  }
  const oidcKeys = ['issuer', 'audience', 'jwksUrl', 'requiredRole', 'supervisor'];
  reportUnknownKeys(value, 'auth.oidc', oidcKeys, report);
  const { issuer, audience, jwksUrl } = value;
  const requiredRole = parseRequiredRole(value.requiredRole, report);
  const supervisor = parseSupervisorClaim(value.supervisor, report);
  let ok = true;
  if (typeof issuer !== 'string' || !isSecureUrl(issuer)) {
    report('auth.oidc.issuer', 'must be the issuer URL (https; plain http only on loopback)');
    ok = false;
  }
  if (typeof audience !== 'string' || audience.trim() === '') {
    report('auth.oidc.audience', "is required: the gateway's audience (app id or URI)");
    ok = false;
  }
  if (jwksUrl !== undefined && (typeof jwksUrl !== 'string' || !isSecureUrl(jwksUrl))) {
    report('auth.oidc.jwksUrl', 'must be the JWKS URL (https; plain http only on loopback)');
    ok = false;
  }
  if (!ok) return undefined;
  return {
    issuer: issuer as string,
    audience: audience as string,
    ...(typeof jwksUrl === 'string' ? { jwksUrl } : {}),
    ...(requiredRole ? { requiredRole } : {}),
    ...(supervisor ? { supervisor } : {}),
  };
}

/** Keys are fetched from these URLs: over https, or on loopback for tests and local setups. */
function isSecureUrl(text: string): boolean {
  try {
    const url = new URL(text);
    if (url.protocol === 'https:') return true;
    return (
      url.protocol === 'http:' && /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(url.hostname)
    );
  } catch {
    return false;
  }
}

function parseTokens(value: unknown, key: string, report: Report): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(key, 'must be a list of token strings');
    return [];
  }
  return value.flatMap((token: unknown, i) => {
    if (typeof token === 'string' && TOKEN.test(token)) return [token];
    report(`${key}[${i}]`, 'must be a non-empty token of letters, digits and -._~+/');
    return [];
  });
}

function parseSources(value: unknown, report: Report): SourceConfig[] {
  const types = sourceTypeNames().join(', ');
  if (!Array.isArray(value) || value.length === 0) {
    report(
      'sources',
      `must be a list of at least one source like { "id": "demo", "type": "demo" }`,
    );
    return [];
  }
  const entries = parseEntries(value, 'sources', report);
  for (const [i, entry] of entries.entries()) {
    const at = `sources[${i}]`;
    if (entry.type === '') continue;
    const type = sourceTypes[entry.type];
    if (!type) {
      report(`${at}.type`, `unknown source type "${entry.type}" (expected ${types})`);
      continue;
    }
    reportUnknownKeys(
      entry,
      at,
      ['id', 'type', ...type.keys],
      report,
      `for a ${entry.type} source`,
    );
    for (const problem of type.check(entry)) report(`${at}.${problem.key}`, problem.message);
  }
  return entries;
}

function parseSinks(value: unknown, report: Report): SinkConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report('sinks', 'must be a list');
    return [];
  }
  const entries = parseEntries(value, 'sinks', report);
  const types = Object.keys(sinkTypes).join(', ');
  for (const [i, entry] of entries.entries()) {
    const at = `sinks[${i}]`;
    if (entry.type === '') continue;
    const type = sinkTypes[entry.type];
    if (!type) {
      report(`${at}.type`, `unknown sink type "${entry.type}" (expected ${types})`);
      continue;
    }
    reportUnknownKeys(entry, at, ['id', 'type', ...type.keys], report, `for a ${entry.type} sink`);
    for (const problem of type.check(entry)) report(`${at}.${problem.key}`, problem.message);
  }
  return entries;
}

/** The keys every source and sink shares: a unique `id`, a `type`, secrets only by env var. */
function parseEntries(value: unknown[], key: string, report: Report): SourceConfig[] {
  const firstUse = new Map<string, number>();
  return value.flatMap((entry: unknown, i) => {
    const at = `${key}[${i}]`;
    if (!isRecord(entry)) {
      report(at, 'must be an object with "id" and "type"');
      return [];
    }
    const { id, type } = entry;
    if (typeof id !== 'string' || !ID.test(id)) {
      report(`${at}.id`, 'must be a short name of letters, digits, - and _');
    } else if (firstUse.has(id)) {
      report(`${at}.id`, `"${id}" is already used by ${key}[${firstUse.get(id)}]`);
    } else {
      firstUse.set(id, i);
    }
    if (typeof type !== 'string' || type === '') report(`${at}.type`, 'is required');
    for (const [name, setting] of Object.entries(entry)) {
      if (name.endsWith('Env')) {
        if (typeof setting !== 'string' || !ENV_NAME.test(setting))
          report(`${at}.${name}`, 'must name an environment variable, like AEP_CLIENT_SECRET');
      } else if (SECRET_KEY.test(name)) {
        report(
          `${at}.${name}`,
          `secrets stay out of the config: put it in an environment variable and name that in ${name}Env`,
        );
      }
    }
    return [{ ...entry, id: String(id), type: typeof type === 'string' ? type : '' }];
  });
}

function parseCors(value: unknown, report: Report): GatewayConfig['cors'] {
  if (value === undefined) return { origins: [] };
  if (!isRecord(value) || !Array.isArray(value.origins)) {
    report('cors', 'must be an object like { "origins": ["https://shop.example.com"] }');
    return { origins: [] };
  }
  reportUnknownKeys(value, 'cors', ['origins'], report);
  const origins = value.origins.flatMap((origin: unknown, i) => {
    if (typeof origin === 'string' && isOrigin(origin)) return [origin];
    report(`cors.origins[${i}]`, 'must be an origin: scheme://host[:port], without a path');
    return [];
  });
  return { origins };
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}

function parseTimeout(value: unknown, report: Report): number {
  if (value === undefined) return DEFAULT_SOURCE_TIMEOUT_MS;
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > MAX_SOURCE_TIMEOUT_MS
  ) {
    report(
      'sourceTimeoutMs',
      `must be a whole number of milliseconds from 1 to ${MAX_SOURCE_TIMEOUT_MS}`,
    );
    return DEFAULT_SOURCE_TIMEOUT_MS;
  }
  return value;
}

/** Keys starting with `$` (`$schema`, `$comment`) are annotations, not settings. */
function reportUnknownKeys(
  value: Record<string, unknown>,
  at: string,
  known: readonly string[],
  report: Report,
  what = '',
): void {
  for (const key of Object.keys(value)) {
    if (key.startsWith('$') || known.includes(key)) continue;
    const suffix = what ? ` ${what}` : '';
    report(at ? `${at}.${key}` : key, `unknown key${suffix} (expected ${known.join(', ')})`);
  }
}
