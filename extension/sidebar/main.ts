import { messaging } from '../../shared/protocol';
import type { CallFeed } from '../../widget/call-feed.controller';
import { defineSidebarElements } from '../../widget/define';
import { WaitingCallsSourceRequest } from '../../widget/waiting-calls.component';
import { type WrapUpBackend, WrapUpBackendRequest } from '../../widget/wrap-up-backend';

const feed: CallFeed = {
  current: () => messaging.sendMessage('getCurrentCall', undefined),
  subscribe: (onChange) => messaging.onMessage('callChanged', ({ data }) => onChange(data)),
  refreshActivity: (callId) => messaging.sendMessage('refreshActivity', { callId }),
};

const wrapUpBackend: WrapUpBackend = {
  load: (callId) => messaging.sendMessage('getWrapUp', { callId }),
  saveDraft: async (draft) => {
    const result = await messaging.sendMessage('saveWrapUpDraft', draft);
    if (!result.saved) throw new Error(result.error ?? 'draft not saved');
  },
  logCall: (event) => messaging.sendMessage('logCall', event),
  outboxStatus: () => messaging.sendMessage('getOutboxStatus', undefined),
  subscribeOutbox: (onChange) => messaging.onMessage('outboxChanged', ({ data }) => onChange(data)),
  retryFailed: () => messaging.sendMessage('retryFailed', {}),
  exportFailed: () => messaging.sendMessage('exportFailed', undefined),
};
document.addEventListener(WrapUpBackendRequest.type, (request) => {
  request.backend = wrapUpBackend;
});

document.addEventListener(WaitingCallsSourceRequest.type, (request) => {
  request.source = () => messaging.sendMessage('getWaitingCalls', undefined);
});

defineSidebarElements();
const app = document.createElement('cc-sidebar-app');
app.feed = feed;
document.body.append(app);
