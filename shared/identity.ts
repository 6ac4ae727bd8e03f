import {
  type CountryCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/min';
import type { Identity } from './model';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

const NAMESPACE = /^[a-z][a-z0-9_.-]{0,63}$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
/** Longest raw number text we are willing to parse (with spaces, punctuation, extension). */
const MAX_PHONE_TEXT = 64;

export function isCountryCode(region: string): region is CountryCode {
  return isSupportedCountry(region);
}

/**
 * Turns a phone number as an agent's tab shows it into E.164.
 *
 * Accepts international forms (`+44 20 7946 0958`, `0044 20 7946 0958`, `tel:` URIs) and
 * national ones read in `defaultRegion`. A number must have a possible length for its country;
 * one that libphonenumber does not know as assigned is still accepted when it was written with
 * its country code (metadata lags new number ranges, and such a number is not a guess).
 */
export function normalizePhone(raw: string, defaultRegion?: string): Result<string> {
  let text = cleanPhoneText(raw);
  if (text.length === 0) return { ok: false, error: 'no phone number given' };
  if (text.length > MAX_PHONE_TEXT) return { ok: false, error: 'too long to be a phone number' };
  if (/^tel:/i.test(text)) {
    try {
      text = decodeURIComponent(text.slice(4)).split(';')[0] ?? '';
    } catch {
      return { ok: false, error: `"${raw}" is not a phone number` };
    }
  } else if (/^sips?:/i.test(text)) {
    // A SIP URI's user part is the number when softphones show one (`sip:+4420...@host`).
    text = text.replace(/^sips?:/i, '').split(/[@;]/)[0] ?? '';
  }
  if (/[a-z]/i.test(text.replace(/\b(?:ext|x)\.?\s*\d+$/i, '')))
    return { ok: false, error: `"${raw}" is not a phone number` };
  const international = /^\s*(?:\+|00)/.test(text);
  if (/^\s*00/.test(text)) text = text.replace(/^\s*00/, '+');
  const region = defaultRegion?.toUpperCase();
  const country = region && isCountryCode(region) ? region : undefined;
  if (!international && !country)
    return { ok: false, error: `"${raw}" has no country code and no default region is set` };
  const parsed = parsePhoneNumberFromString(text, country);
  const possible = parsed?.isPossible() ?? false;
  if (!parsed || !possible) return { ok: false, error: `"${raw}" is not a possible phone number` };
  if (!parsed.isValid() && !international)
    return { ok: false, error: `"${raw}" is not a valid number in ${country ?? 'any region'}` };
  return { ok: true, value: parsed.number };
}

/**
 * Undoes what page typography does to a number: non-breaking spaces, Unicode dashes, full-width
 * digits, bidi marks around a number in a right-to-left page, and `+44 (0)20 ...`.
 */
function cleanPhoneText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/^(\+\d{1,3})\s*\(0\)\s*/, '$1 ')
    .trim();
}

/**
 * The forms an exact-match back end may have stored a number in, for one E.164 number: E.164,
 * without the plus, with 00, international and national formatting, national digits, and the
 * national number without its trunk prefix (what Webex Contact Center and Dynamics 365 phone
 * fields often hold). The first entry is always the E.164 number; no entry repeats.
 */
export function phoneLookupVariants(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed || !/^\+[1-9]\d{6,14}$/.test(e164)) return [];
  const digits = e164.slice(1);
  const national = parsed.formatNational();
  const variants = [
    e164,
    digits,
    `00${digits}`,
    parsed.formatInternational(),
    national,
    national.replace(/\D/g, ''),
    parsed.nationalNumber,
  ];
  return [...new Set(variants.filter((v) => v.length > 0))];
}

export function normalizeEmail(raw: string): Result<string> {
  const text = raw.trim().replace(/^mailto:/i, '');
  if (text.length > 254 || !EMAIL.test(text))
    return { ok: false, error: `"${raw}" is not an email address` };
  return { ok: true, value: text.toLowerCase() };
}

/** Parses `namespace:value` (docs/architecture.md, "Identity"); phone values must already be E.164. */
export function parseIdentity(text: string): Result<Identity> {
  const colon = text.indexOf(':');
  if (colon <= 0) return { ok: false, error: 'identity must look like namespace:value' };
  const namespace = text.slice(0, colon).toLowerCase();
  const value = text.slice(colon + 1);
  if (!NAMESPACE.test(namespace))
    return { ok: false, error: `bad identity namespace "${namespace}"` };
  if (value.length === 0 || value.length > 256)
    return { ok: false, error: 'identity value must be 1 to 256 characters' };
  if (namespace === 'phone') {
    if (!/^\+[1-9]\d{6,14}$/.test(value))
      return { ok: false, error: 'phone identity must be E.164, like phone:+442079460958' };
    const phone = normalizePhone(value);
    return phone.ok ? { ok: true, value: { namespace, value: phone.value } } : phone;
  }
  if (namespace === 'email') {
    const email = normalizeEmail(value);
    return email.ok ? { ok: true, value: { namespace, value: email.value } } : email;
  }
  return { ok: true, value: { namespace, value } };
}

export function formatIdentity(identity: Identity): string {
  return `${identity.namespace}:${identity.value}`;
}
