import type { Problem } from '../shared/problem';
import type { Translator } from './i18n/catalog';

/** A failure the background reported by code, in the agent's language (keys `problem.<code>`). */
export function problemText(problem: Problem, translator: Translator): string {
  return translator.t(`problem.${problem.code}`, problem.params);
}
