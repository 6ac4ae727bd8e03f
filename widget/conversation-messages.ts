import { messaging } from '../shared/protocol';
import type { ConversationBackend, ConversationFeed } from './conversation-backend';

/** The conversation of the call a page shows, through the background (extension pages only). */
export const conversationFeed: ConversationFeed = {
  follow: (callId) => messaging.sendMessage('followConversation', { callId }),
  subscribe: (onChange) => messaging.onMessage('conversationChanged', ({ data }) => onChange(data)),
  sharePick: (callId, profileId) =>
    messaging.sendMessage('shareConversationPick', { callId, profileId }),
};

/**
 * Notes and "Hand over" through the background, which adds the wrap-up typed so far (the draft
 * it keeps for the call).
 */
export const conversationBackend: ConversationBackend = {
  addNote: (callId, text) => messaging.sendMessage('addConversationNote', { callId, text }),
  handOver: (callId, note) => messaging.sendMessage('handOverCall', { callId, note }),
};
