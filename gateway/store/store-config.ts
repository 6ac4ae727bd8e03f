import { isRecord } from '../json-shape';
import { MemoryStore } from './memory-store';
import { RedisStore } from './redis-store';
import type { Store } from './store';

/** The config's `store` key (README, "The gateway's store"). */
export type StoreConfig =
  | { type: 'memory' }
  | {
      type: 'redis';
      /** The URL itself, when it carries no password. */
      url?: string;
      /** The environment variable holding the URL (with its password). */
      urlEnv?: string;
      /** Put before every key, default `cc:`. */
      prefix?: string;
      /** A command not answered in this time fails (503 to the client), default 1000. */
      commandTimeoutMs?: number;
    };

export const DEFAULT_STORE: StoreConfig = { type: 'memory' };

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const PREFIX = /^[A-Za-z0-9_.:-]{0,32}$/;
const REDIS_KEYS = ['type', 'url', 'urlEnv', 'prefix', 'commandTimeoutMs'];

/** Checks the `store` key; `report(key, message)` is the config parser's. */
export function parseStoreConfig(
  value: unknown,
  report: (key: string, message: string) => void,
): StoreConfig {
  if (value === undefined) return { ...DEFAULT_STORE };
  if (!isRecord(value) || (value.type !== 'memory' && value.type !== 'redis')) {
    report(
      'store',
      'must be { "type": "memory" } or { "type": "redis", "url": "redis://host:6379/0" } (or "urlEnv")',
    );
    return { ...DEFAULT_STORE };
  }
  const known = value.type === 'memory' ? ['type'] : REDIS_KEYS;
  for (const key of Object.keys(value)) {
    if (!key.startsWith('$') && !known.includes(key))
      report(`store.${key}`, `unknown key (expected ${known.join(', ')})`);
  }
  if (value.type === 'memory') return { type: 'memory' };
  const { url, urlEnv, prefix, commandTimeoutMs } = value;
  const config: StoreConfig = { type: 'redis' };
  if ((url === undefined) === (urlEnv === undefined))
    report('store', 'a redis store needs "url" or "urlEnv" (one of them)');
  if (url !== undefined) {
    if (typeof url !== 'string' || !isRedisUrl(url))
      report('store.url', 'must be a redis://, rediss:// or unix:// URL');
    else if (new URL(url).password)
      report(
        'store.url',
        'carries a password: put the URL in an environment variable and name it in urlEnv',
      );
    else config.url = url;
  }
  if (urlEnv !== undefined) {
    if (typeof urlEnv !== 'string' || !ENV_NAME.test(urlEnv))
      report('store.urlEnv', 'must name an environment variable, like REDIS_URL');
    else config.urlEnv = urlEnv;
  }
  if (prefix !== undefined) {
    if (typeof prefix !== 'string' || !PREFIX.test(prefix))
      report('store.prefix', 'must be up to 32 letters, digits and _.:-');
    else config.prefix = prefix;
  }
  if (commandTimeoutMs !== undefined) {
    if (
      typeof commandTimeoutMs !== 'number' ||
      !Number.isInteger(commandTimeoutMs) ||
      commandTimeoutMs < 50 ||
      commandTimeoutMs > 30_000
    )
      report('store.commandTimeoutMs', 'must be a whole number of milliseconds from 50 to 30000');
    else config.commandTimeoutMs = commandTimeoutMs;
  }
  return config;
}

export interface CreateStoreOptions {
  env?: Record<string, string | undefined>;
  onProblem?: (message: string) => void;
}

/** The store a checked config names. Throws when `urlEnv` names an unset variable. */
export function createStore(config: StoreConfig, options: CreateStoreOptions = {}): Store {
  if (config.type === 'memory') return new MemoryStore();
  const env = options.env ?? process.env;
  const url = config.url ?? (config.urlEnv ? env[config.urlEnv] : undefined);
  if (!url) throw new Error(`store.urlEnv: the environment variable ${config.urlEnv} is not set`);
  if (!isRedisUrl(url))
    throw new Error(
      `store.urlEnv: ${config.urlEnv} must hold a redis://, rediss:// or unix:// URL`,
    );
  return new RedisStore({
    url,
    ...(config.prefix !== undefined ? { prefix: config.prefix } : {}),
    ...(config.commandTimeoutMs !== undefined ? { commandTimeoutMs: config.commandTimeoutMs } : {}),
    ...(options.onProblem ? { onProblem: options.onProblem } : {}),
  });
}

function isRedisUrl(text: string): boolean {
  try {
    return ['redis:', 'rediss:', 'unix:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}
