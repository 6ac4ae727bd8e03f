import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * The ways a back end that matches text exactly (Dynamics `eq`, Unomi `equals`) may have stored
 * an E.164 number: as E.164, in national and international format, as digits only, and without
 * the country code (with and without the national trunk prefix). E.164 comes first.
 */
export function phoneLookupVariants(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return [e164];
  const national = parsed.formatNational();
  const variants = [
    parsed.number,
    national,
    parsed.formatInternational(),
    parsed.number.slice(1),
    national.replace(/\D/g, ''),
    parsed.nationalNumber,
  ];
  return [...new Set(variants.filter((variant) => variant !== ''))];
}
