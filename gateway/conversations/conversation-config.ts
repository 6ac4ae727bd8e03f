import { isRecord } from '../json-shape';
import { wholeNumbersWithin } from '../limits-config';

/** The gateway config's `conversations` (README, "Conversations"), defaults filled in. */
export interface ConversationsConfig {
  /**
   * A call of the same caller that starts within this many minutes of an earlier agent's call
   * (while it goes on, or after it ended) joins that call's conversation when the telephony page
   * shows no call id the two share.
   */
  linkMinutes: number;
  /** Hours a conversation is kept from its start; then it is gone, notes and all. */
  retentionHours: number;
}

export const DEFAULT_CONVERSATIONS: ConversationsConfig = { linkMinutes: 10, retentionHours: 24 };

type Report = (key: string, message: string) => void;

export function parseConversationsConfig(value: unknown, report: Report): ConversationsConfig {
  if (value === undefined) return { ...DEFAULT_CONVERSATIONS };
  if (!isRecord(value)) {
    report('conversations', 'must be an object like { "linkMinutes": 10, "retentionHours": 24 }');
    return { ...DEFAULT_CONVERSATIONS };
  }
  const known = ['linkMinutes', 'retentionHours'];
  for (const key of Object.keys(value))
    if (!key.startsWith('$') && !known.includes(key))
      report(`conversations.${key}`, `unknown key (expected ${known.join(', ')})`);
  // A day at most: the record is for the call and its transfers, not a history of the customer.
  return wholeNumbersWithin(
    value,
    'conversations',
    { linkMinutes: [1, 60], retentionHours: [1, 24] },
    { ...DEFAULT_CONVERSATIONS },
    report,
  );
}
