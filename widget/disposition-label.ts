import type { Disposition } from '../shared/after-call';
import { DEFAULT_CONFIG } from '../shared/config';
import type { MessageKey, Translator } from './i18n/catalog';

/**
 * A disposition as the agent reads it: the default ones in the agent's language, an admin's
 * own list as the admin wrote it. The logged event keeps the configured label either way.
 */
export function dispositionLabel(disposition: Disposition, translator: Translator): string {
  const standard = DEFAULT_CONFIG.dispositions.find((d) => d.code === disposition.code);
  if (standard?.label !== disposition.label) return disposition.label;
  return translator.t(`disposition.${disposition.code}` as MessageKey);
}
