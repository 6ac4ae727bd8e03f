import type { HandoffWrapUp } from '../shared/conversation';
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
 * Notes and "Hand over" through the background. A handover carries the wrap-up typed so far
 * (the draft the background keeps for the call), with its disposition's label.
 */
export const conversationBackend: ConversationBackend = {
  addNote: (callId, text) => messaging.sendMessage('addConversationNote', { callId, text }),
  async handOver(callId, note) {
    const { draft, dispositions } = await messaging
      .sendMessage('getWrapUp', { callId })
      .catch(() => ({ draft: null, dispositions: [] }));
    let wrapUp: HandoffWrapUp | undefined;
    if (draft && (draft.disposition || draft.notes.trim())) {
      const label = dispositions.find((d) => d.code === draft.disposition)?.label;
      wrapUp = {
        disposition: draft.disposition,
        notes: draft.notes,
        ...(label ? { dispositionLabel: label } : {}),
        ...(draft.followUpOn ? { followUpOn: draft.followUpOn } : {}),
        ...(draft.caseId ? { caseId: draft.caseId } : {}),
      };
    }
    return messaging.sendMessage('handOverCall', { callId, note, ...(wrapUp ? { wrapUp } : {}) });
  },
};
