import { parseIdentity } from '../shared/identity';
import type { Identity, Profile } from '../shared/model';

/** The phone and email identities a profile is known by, normalized as `parseIdentity` does. */
export function profileIdentities(profile: Profile): Identity[] {
  const texts = [
    ...(profile.phones ?? []).map((phone) => `phone:${phone}`),
    ...(profile.emails ?? []).map((email) => `email:${email}`),
  ];
  return texts.flatMap((text) => {
    const parsed = parseIdentity(text);
    return parsed.ok ? [parsed.value] : [];
  });
}
