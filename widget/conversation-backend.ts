import type { ConversationResult, ConversationState } from '../shared/conversation';

/** Where a page follows the conversation of the call it shows (the background, in the extension). */
export interface ConversationFeed {
  /** Joins (once looked up), beats the heart and keeps the live stream going; what is known now. */
  follow(callId: string): Promise<ConversationState | null>;
  /** Calls `onChange` with every new state of any call's conversation; returns the unsubscribe. */
  subscribe(onChange: (state: ConversationState) => void): () => void;
  /** The agent picked one of several customers: the others on the call see it. */
  sharePick?(callId: string, profileId: string): Promise<ConversationResult>;
}

/** What the notes panel does (the page answers; a fake in tests). */
export interface ConversationBackend {
  addNote(callId: string, text: string): Promise<ConversationResult>;
  /** "Hand over": the page adds the wrap-up typed so far. */
  handOver(callId: string, note: string): Promise<ConversationResult>;
}
