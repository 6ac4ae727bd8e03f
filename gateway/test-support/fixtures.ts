import { readFileSync } from 'node:fs';
import { DEMO_CONFIG_FILE } from '../cli-args';
import { type GatewayConfig, parseGatewayConfig } from '../config';

/** The demo config as `npm run gateway` loads it, with overrides for one test. */
export function demoConfig(overrides: Record<string, unknown> = {}): GatewayConfig {
  const json: unknown = JSON.parse(readFileSync(DEMO_CONFIG_FILE, 'utf8'));
  return parseGatewayConfig({ ...(json as object), ...overrides });
}

export const AGENT = { Authorization: 'Bearer demo-token' };
/** A server-side collect key: posts web events for anyone. */
export const SITE = { Authorization: 'Bearer demo-collect-key' };
