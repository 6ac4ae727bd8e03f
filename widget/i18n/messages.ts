/**
 * A message: plain text with `{name}` placeholders, or one text per plural category
 * (Intl.PluralRules of the language picks it from the `count` parameter).
 */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;
