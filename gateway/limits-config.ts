import { isRecord } from './json-shape';

type Report = (key: string, message: string) => void;

/** A public key a website's pages carry (`auth.siteKeys[]`): it may post web events only with an identity token. */
export interface SiteKeyConfig {
  key: string;
  /** The environment variable holding the HS256 secret the site's backend signs identity tokens with. */
  identitySecretEnv: string;
  /** Shown in logs and scopes the site's event ids; a digest of the key when left out. */
  name?: string;
}

/** Requests a minute; 0 switches a limit off (README, "Rate limits"). */
export interface RateLimitsConfig {
  /** POST /v1/collect per key (collect key, site key or agent token). */
  collectPerKey: number;
  /** POST /v1/collect per client address, for public site keys that every visitor shares. */
  collectPerAddress: number;
  /** GET /v1/context per principal (agent), so a leaked token cannot walk the customer base. */
  contextPerPrincipal: number;
  /**
   * POST /v1/conversations and its routes (join, notes, picks, hand-overs, listening in) per
   * agent, so a leaked or runaway token cannot flood colleagues' calls with notes.
   */
  conversationWritesPerAgent: number;
  /**
   * How many proxies of your own (load balancer, ingress) append to `X-Forwarded-For`: the
   * client address is the entry that many places from the right. 0: the socket's address.
   */
  trustedProxyHops: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitsConfig = {
  collectPerKey: 6000,
  collectPerAddress: 120,
  contextPerPrincipal: 300,
  conversationWritesPerAgent: 120,
  trustedProxyHops: 0,
};

/** Caps of the buffer of collected web events (README, "The live buffer"). */
export interface LiveBufferConfig {
  maxEventsPerIdentity: number;
  maxAgeMinutes: number;
  /** Bytes kept per identity (JSON of its events). */
  maxBytesPerIdentity: number;
  /** Bytes kept for every identity together; past it the least recently active go first. */
  maxBytes: number;
}

export const DEFAULT_LIVE_BUFFER: LiveBufferConfig = {
  maxEventsPerIdentity: 500,
  maxAgeMinutes: 24 * 60,
  maxBytesPerIdentity: 256 * 1024,
  maxBytes: 64 * 1024 * 1024,
};

/** `log`: how the gateway's JSON log lines name identities. */
export interface LogConfig {
  /**
   * The environment variable holding the key of the identity hash in log lines, so that lines of
   * every replica and restart name one caller alike. Without it each process picks a random key.
   */
  identityHashKeyEnv?: string;
}

/** `delivery`: how after-call events go to the sinks from the store's queue. */
export interface DeliveryConfig {
  /** How long one replica holds a delivery before another may try it (its crash costs this). */
  leaseSeconds: number;
  /** Tries before an event goes to the dead-letter list (backoff doubles to 5 minutes). */
  maxAttempts: number;
}

export const DEFAULT_DELIVERY: DeliveryConfig = { leaseSeconds: 60, maxAttempts: 15 };

export function parseDelivery(value: unknown, report: Report): DeliveryConfig {
  const config = { ...DEFAULT_DELIVERY };
  if (value === undefined) return config;
  if (!isRecord(value)) {
    report('delivery', 'must be an object like { "leaseSeconds": 60, "maxAttempts": 15 }');
    return config;
  }
  const bounds: Record<keyof DeliveryConfig, [number, number]> = {
    leaseSeconds: [1, 3600],
    maxAttempts: [1, 1000],
  };
  unknown(value, 'delivery', Object.keys(bounds), report);
  return wholeNumbersWithin(value, 'delivery', bounds, config, report);
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

export function parseSiteKeys(value: unknown, report: Report): SiteKeyConfig[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(
      'auth.siteKeys',
      'must be a list like [{ "key": "pk_...", "identitySecretEnv": "SITE_ID_SECRET" }]',
    );
    return [];
  }
  return value.flatMap((entry: unknown, i) => {
    const at = `auth.siteKeys[${i}]`;
    if (!isRecord(entry)) {
      report(at, 'must be an object with "key" and "identitySecretEnv"');
      return [];
    }
    unknown(entry, at, ['key', 'identitySecretEnv', 'name'], report);
    const { key, identitySecretEnv, name } = entry;
    let ok = true;
    if (typeof key !== 'string' || !TOKEN.test(key)) {
      report(`${at}.key`, 'must be a non-empty key of letters, digits and -._~+/');
      ok = false;
    }
    if (typeof identitySecretEnv !== 'string' || !ENV_NAME.test(identitySecretEnv)) {
      report(
        `${at}.identitySecretEnv`,
        'must name the environment variable with the identity-token secret, like SITE_ID_SECRET',
      );
      ok = false;
    }
    if (name !== undefined && (typeof name !== 'string' || !NAME.test(name))) {
      report(`${at}.name`, 'must be a short name of letters, digits, - and _');
      ok = false;
    }
    if (!ok) return [];
    return [
      {
        key: key as string,
        identitySecretEnv: identitySecretEnv as string,
        ...(typeof name === 'string' ? { name } : {}),
      },
    ];
  });
}

export function parseRateLimits(value: unknown, report: Report): RateLimitsConfig {
  const limits = { ...DEFAULT_RATE_LIMITS };
  if (value === undefined) return limits;
  if (!isRecord(value)) {
    report(
      'rateLimits',
      'must be an object like { "collectPerKey": 6000, "contextPerPrincipal": 300 }',
    );
    return limits;
  }
  const keys = Object.keys(DEFAULT_RATE_LIMITS) as (keyof RateLimitsConfig)[];
  unknown(value, 'rateLimits', keys, report);
  for (const key of keys) {
    const setting = value[key];
    if (setting === undefined) continue;
    const max = key === 'trustedProxyHops' ? 10 : 1_000_000;
    if (typeof setting === 'number' && Number.isInteger(setting) && setting >= 0 && setting <= max)
      limits[key] = setting;
    else
      report(
        `rateLimits.${key}`,
        key === 'trustedProxyHops'
          ? 'must be a whole number from 0 to 10'
          : 'must be a whole number of requests a minute (0: no limit)',
      );
  }
  return limits;
}

export function parseLiveBuffer(value: unknown, report: Report): LiveBufferConfig {
  const config = { ...DEFAULT_LIVE_BUFFER };
  if (value === undefined) return config;
  if (!isRecord(value)) {
    report(
      'liveBuffer',
      'must be an object like { "maxEventsPerIdentity": 500, "maxBytes": 67108864 }',
    );
    return config;
  }
  const bounds: Record<keyof LiveBufferConfig, [number, number]> = {
    maxEventsPerIdentity: [1, 10_000],
    maxAgeMinutes: [1, 7 * 24 * 60],
    maxBytesPerIdentity: [1024, 16 * 1024 * 1024],
    maxBytes: [64 * 1024, 64 * 1024 * 1024 * 1024],
  };
  unknown(value, 'liveBuffer', Object.keys(bounds), report);
  return wholeNumbersWithin(value, 'liveBuffer', bounds, config, report);
}

export function parseLog(value: unknown, report: Report): LogConfig {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    report('log', 'must be an object like { "identityHashKeyEnv": "LOG_IDENTITY_KEY" }');
    return {};
  }
  unknown(value, 'log', ['identityHashKeyEnv'], report);
  const { identityHashKeyEnv } = value;
  if (identityHashKeyEnv === undefined) return {};
  if (typeof identityHashKeyEnv !== 'string' || !ENV_NAME.test(identityHashKeyEnv)) {
    report('log.identityHashKeyEnv', 'must name an environment variable, like LOG_IDENTITY_KEY');
    return {};
  }
  return { identityHashKeyEnv };
}

/** `auth.oidc.requiredRole`: a role (`roles`) or scope (`scp`, `scope`) every agent's token must carry. */
export function parseRequiredRole(value: unknown, report: Report): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && /^[\x21-\x7e]{1,200}$/.test(value)) return value;
  report('auth.oidc.requiredRole', 'must be the role or scope name, like CallerContext.Agent');
  return undefined;
}

/**
 * The whole-number settings of one section, each within its bounds: a value out of bounds is
 * reported by its key, and the default stays.
 */
export function wholeNumbersWithin<T extends object>(
  value: Record<string, unknown>,
  section: string,
  bounds: Record<keyof T & string, [number, number]>,
  config: T,
  report: Report,
): T {
  for (const [key, [min, max]] of Object.entries(bounds) as [
    keyof T & string,
    [number, number],
  ][]) {
    const setting = value[key];
    if (setting === undefined) continue;
    if (
      typeof setting === 'number' &&
      Number.isInteger(setting) &&
      setting >= min &&
      setting <= max
    )
      (config as Record<string, number>)[key] = setting;
    else report(`${section}.${key}`, `must be a whole number from ${min} to ${max}`);
  }
  return config;
}

function unknown(
  value: Record<string, unknown>,
  at: string,
  known: readonly string[],
  report: Report,
): void {
  for (const key of Object.keys(value)) {
    if (!key.startsWith('$') && !known.includes(key))
      report(`${at}.${key}`, `unknown key (expected ${known.join(', ')})`);
  }
}
