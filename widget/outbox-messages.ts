import { messaging } from '../shared/protocol';
import type { OutboxApi } from './outbox-panel.component';

/** The outbox through the background, for both pages that show it (extension pages only). */
export const outboxMessages: OutboxApi = {
  status: () => messaging.sendMessage('getOutboxStatus', undefined),
  subscribe: (onChange) => messaging.onMessage('outboxChanged', ({ data }) => onChange(data)),
  retryFailed: () => messaging.sendMessage('retryFailed', {}),
  exportFailed: () => messaging.sendMessage('exportFailed', undefined),
};
