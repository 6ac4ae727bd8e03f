/**
 * A failure the agent is told about, as a code and its values rather than finished English: the
 * background keeps its own English text beside it (for logs and older pages), and the sidebar
 * words it in the agent's language (widget/i18n, keys `problem.<code>`).
 */
export interface Problem {
  code: ProblemCode;
  params?: Record<string, string | number>;
}

export const PROBLEM_CODES = [
  'gatewayTimeout',
  'gatewayUnreachable',
  'gatewayRefused',
  'gatewayBusy',
  'gatewayStatus',
  'gatewayStatusDetail',
  'gatewayNotJson',
  'gatewayUnexpected',
  'signedOut',
  /** What the page showed is neither a phone number nor an email address (`raw`). */
  'numberUnreadable',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];
