import { isRecord } from '../../shared/json';
/**
 * The demo pages' configuration, served by `demo/server.ts` as `/demo-config.json` and built
 * from the seed customers. The pages only read it; nothing here holds a secret (the collect
 * token is the storefront's write key, which any real site ships to its visitors too).
 */

export interface DemoCase {
  id: string;
  title: string;
  number?: string;
  status?: string;
  createdAt?: string;
}

export interface DemoCustomer {
  id: string;
  name: string;
  email: string;
  /** E.164, e.g. `+442079460123`. */
  phone: string;
  /** As a softphone shows it, e.g. `+44 20 7946 0123`. */
  phoneDisplay: string;
  /** The customer's cases as the CRM knows them, newest first. */
  cases: DemoCase[];
}

export interface DemoConfig {
  gatewayUrl: string;
  collectToken: string;
  customers: DemoCustomer[];
}

function text(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  if (typeof value !== 'string') throw new Error(`demo-config: "${key}" must be a string`);
  return value;
}

function optionalText(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

function parseCase(value: unknown): DemoCase {
  if (!isRecord(value)) throw new Error('demo-config: a case must be an object');
  return {
    id: text(value, 'id'),
    title: text(value, 'title'),
    number: optionalText(value, 'number'),
    status: optionalText(value, 'status'),
    createdAt: optionalText(value, 'createdAt'),
  };
}

function parseCustomer(value: unknown): DemoCustomer {
  if (!isRecord(value)) throw new Error('demo-config: a customer must be an object');
  const cases = value.cases;
  return {
    id: text(value, 'id'),
    name: text(value, 'name'),
    email: text(value, 'email'),
    phone: text(value, 'phone'),
    phoneDisplay: text(value, 'phoneDisplay'),
    cases: Array.isArray(cases) ? cases.map(parseCase) : [],
  };
}

/** Checks what the server sent, so that a page fails with a clear message, not deep inside. */
export function parseDemoConfig(value: unknown): DemoConfig {
  if (!isRecord(value)) throw new Error('demo-config: expected an object');
  const customers = value.customers;
  if (!Array.isArray(customers)) throw new Error('demo-config: "customers" must be an array');
  return {
    gatewayUrl: text(value, 'gatewayUrl').replace(/\/+$/, ''),
    collectToken: text(value, 'collectToken'),
    customers: customers.map(parseCustomer),
  };
}

export async function loadDemoConfig(): Promise<DemoConfig> {
  const response = await fetch('/demo-config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`demo-config: the server answered ${response.status}`);
  const body: unknown = await response.json();
  return parseDemoConfig(body);
}

export function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part.charAt(0).toUpperCase())
    .join('');
}
