import type { Case, Identity, Match } from '../model';
import { type FetchLike, isoTime, str } from './http';

/**
 * A connector reads one platform's profiles for an identity and maps them into the model
 * (docs/architecture.md, "CallerContext"). Plain `fetch`, no browser API: the gateway and the background
 * worker run the same code.
 */
export interface Connector {
  /** The configured source id; it names the source in `Profile.source` and in errors. */
  readonly id: string;
  lookup(identity: Identity, signal: AbortSignal): Promise<Match[]>;
}

/** A source entry of a config: `id`, `type`, and the type's own keys. */
export interface ConnectorConfig {
  id: string;
  type: string;
  [key: string]: unknown;
}

export interface ConnectorConfigProblem {
  /** Relative to the source entry, e.g. `namespace`. */
  key: string;
  message: string;
}

export interface ConnectorDeps {
  fetch: FetchLike;
  /**
   * The secret a config names by environment variable: `secret('clientSecret')` reads the
   * variable that `clientSecretEnv` names. The gateway resolves these; they never sit in a file.
   */
  secret(name: string): string | undefined;
  now(): Date;
  /** A delegated token (the agent's own sign-in); when given it replaces the connector's OAuth. */
  accessToken?: (signal: AbortSignal) => Promise<string>;
}

export interface ConnectorType {
  /** The platform's name as admins know it, for messages. */
  readonly platform: string;
  /** Keys this type reads besides `id` and `type`. */
  readonly keys: readonly string[];
  check(config: ConnectorConfig): ConnectorConfigProblem[];
  create(config: ConnectorConfig, deps: ConnectorDeps): Connector;
}

/** Small checks shared by the connector types' `check`. */
export const configChecks = {
  requiredString(config: ConnectorConfig, key: string, what: string): ConnectorConfigProblem[] {
    const value = config[key];
    return typeof value === 'string' && value.trim() !== ''
      ? []
      : [{ key, message: `is required: ${what}` }];
  },
  optionalString(config: ConnectorConfig, key: string, what: string): ConnectorConfigProblem[] {
    const value = config[key];
    return value === undefined || (typeof value === 'string' && value.trim() !== '')
      ? []
      : [{ key, message: `must be ${what}` }];
  },
  optionalUrl(config: ConnectorConfig, key: string): ConnectorConfigProblem[] {
    const value = config[key];
    if (value === undefined) return [];
    if (typeof value === 'string' && isHttpUrl(value)) return [];
    return [{ key, message: 'must be an http(s) URL' }];
  },
  requiredUrl(config: ConnectorConfig, key: string, what: string): ConnectorConfigProblem[] {
    const value = config[key];
    if (typeof value === 'string' && isHttpUrl(value)) return [];
    return [{ key, message: `is required: ${what}, an http(s) URL` }];
  },
  optionalInteger(
    config: ConnectorConfig,
    key: string,
    min: number,
    max: number,
  ): ConnectorConfigProblem[] {
    const value = config[key];
    if (value === undefined) return [];
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
      return [];
    return [{ key, message: `must be a whole number from ${min} to ${max}` }];
  },
  /** A secret named by env var (`<name>Env`); the value itself is never in the config. */
  requiredSecret(config: ConnectorConfig, name: string, example: string): ConnectorConfigProblem[] {
    const key = `${name}Env`;
    return typeof config[key] === 'string'
      ? []
      : [{ key, message: `is required: the environment variable holding it, like ${example}` }];
  },
};

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** `config[key]` as a string, or the fallback. */
export function stringOf(config: ConnectorConfig, key: string, fallback: string): string;
export function stringOf(config: ConnectorConfig, key: string): string | undefined;
export function stringOf(
  config: ConnectorConfig,
  key: string,
  fallback?: string,
): string | undefined {
  const value = config[key];
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}

export function numberOf(config: ConnectorConfig, key: string, fallback: number): number {
  const value = config[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** A secret that must be there when the connector runs; says which env var is missing. */
export function requireSecret(deps: ConnectorDeps, config: ConnectorConfig, name: string): string {
  const value = deps.secret(name);
  if (value === undefined || value === '') {
    const variable = typeof config[`${name}Env`] === 'string' ? config[`${name}Env`] : `${name}Env`;
    throw new Error(`source ${config.id}: the environment variable ${String(variable)} is not set`);
  }
  return value;
}

/** Trims a base URL's trailing slashes so paths can be appended. */
export function baseUrlOf(config: ConnectorConfig, fallback: string): string {
  return stringOf(config, 'baseUrl', fallback).replace(/\/+$/, '');
}

/**
 * A platform's case (incident, ticket) as the model's `Case`, from the values its record holds:
 * text is kept when not blank, the creation time becomes ISO 8601, what is missing is left out,
 * and a case without a title is called `untitled`.
 */
export function caseOf(
  id: string,
  values: {
    title: unknown;
    number?: unknown;
    status?: unknown;
    createdAt?: unknown;
    url?: unknown;
  },
  untitled: string,
): Case {
  const found: Case = { id, title: str(values.title) ?? untitled };
  const url = str(values.url);
  if (url) found.url = url;
  const number = str(values.number);
  if (number) found.number = number;
  const status = str(values.status);
  if (status) found.status = status;
  const createdAt = isoTime(values.createdAt);
  if (createdAt) found.createdAt = createdAt;
  return found;
}
