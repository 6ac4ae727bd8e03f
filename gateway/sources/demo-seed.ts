import { readFileSync } from 'node:fs';
import type { Case, ConsentState, ContactChannel, Profile } from '../../shared/model';
import { isRecord } from '../json-shape';
import { SourceSetupError } from './source';

/** One customer of demo/seed/customers.json, before its activity times are made absolute. */
export interface SeedCustomer {
  profile: Omit<Profile, 'source'>;
  cases: Case[];
  activity: SeedActivity[];
  /** Earlier contacts with the contact centre, newest first once made absolute. */
  contacts: SeedContact[];
}

export interface SeedContact {
  minutesAgo: number;
  channel: ContactChannel;
  direction?: 'inbound' | 'outbound';
  title?: string;
  disposition?: string;
  note?: string;
  durationSeconds?: number;
  caseId?: string;
}

export interface SeedActivity {
  minutesAgo: number;
  type: string;
  title?: string;
  url?: string;
  value?: number;
  currency?: string;
}

export function readSeedFile(file: string): SeedCustomer[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new SourceSetupError(`cannot read the demo seed file ${file} (${code})`);
  }
  try {
    return parseSeed(JSON.parse(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SourceSetupError(`the demo seed file ${file} is not valid: ${reason}`);
  }
}

/**
 * Checks the fields the demo source relies on. The seed is our own file, so the rest of each
 * profile and case is taken as the model says rather than checked field by field.
 */
export function parseSeed(json: unknown): SeedCustomer[] {
  if (!isRecord(json) || !Array.isArray(json.customers))
    throw new Error('expected { "customers": [...] }');
  return json.customers.map((customer: unknown, i) => {
    const at = `customers[${i}]`;
    if (!isRecord(customer) || !isRecord(customer.profile))
      throw new Error(`${at}.profile: expected an object`);
    const profile = customer.profile;
    if (typeof profile.id !== 'string' || profile.id === '')
      throw new Error(`${at}.profile.id: expected a string`);
    checkStrings(profile.phones, `${at}.profile.phones`);
    checkStrings(profile.emails, `${at}.profile.emails`);
    checkConsent(profile.consent, `${at}.profile.consent`);
    const cases = customer.cases ?? [];
    const activity = customer.activity ?? [];
    const contacts = customer.contacts ?? [];
    if (!Array.isArray(cases)) throw new Error(`${at}.cases: expected a list`);
    if (!Array.isArray(activity)) throw new Error(`${at}.activity: expected a list`);
    if (!Array.isArray(contacts)) throw new Error(`${at}.contacts: expected a list`);
    contacts.forEach((contact: unknown, j) => {
      if (
        !isRecord(contact) ||
        typeof contact.minutesAgo !== 'number' ||
        !CHANNELS.includes(contact.channel as ContactChannel)
      )
        throw new Error(
          `${at}.contacts[${j}]: expected { minutesAgo: number, channel: ${CHANNELS.join(' | ')} }`,
        );
    });
    activity.forEach((event: unknown, j) => {
      if (
        !isRecord(event) ||
        typeof event.minutesAgo !== 'number' ||
        typeof event.type !== 'string'
      )
        throw new Error(`${at}.activity[${j}]: expected { minutesAgo: number, type: string }`);
    });
    return {
      profile: {
        ...profile,
        attributes: isRecord(profile.attributes) ? profile.attributes : {},
      } as Omit<Profile, 'source'>,
      cases: cases as Case[],
      activity: activity as SeedActivity[],
      contacts: contacts as SeedContact[],
    };
  });
}

function checkStrings(value: unknown, at: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw new Error(`${at}: expected a list of strings`);
}

const CONSENT_STATES: readonly ConsentState[] = ['granted', 'denied', 'unknown'];
const CHANNELS: readonly ContactChannel[] = ['call', 'email', 'chat', 'sms', 'other'];

function checkConsent(value: unknown, at: string): void {
  if (value === undefined) return;
  if (!isRecord(value)) throw new Error(`${at}: expected an object`);
  for (const [purpose, state] of Object.entries(value)) {
    if (!CONSENT_STATES.includes(state as ConsentState))
      throw new Error(`${at}.${purpose}: expected granted, denied or unknown`);
  }
}
