import { proxy, wrap } from 'comlink';
import { FRAME_CONNECT, type FrameHost } from '../../shared/frame-host';
import type { PageColorScheme } from '../../shared/page-scheme';
import { messaging } from '../../shared/protocol';
import type { CallFeed } from '../../widget/call-feed.controller';
import { defineSidebarElements } from '../../widget/define';
import { createTranslator } from '../../widget/i18n/catalog';
import { WaitingCallsSourceRequest } from '../../widget/waiting-calls.component';
import { type WrapUpBackend, WrapUpBackendRequest } from '../../widget/wrap-up-backend';

const feed: CallFeed = {
  current: () => messaging.sendMessage('getCurrentCall', undefined),
  subscribe: (onChange) => messaging.onMessage('callChanged', ({ data }) => onChange(data)),
  refreshActivity: (callId) => messaging.sendMessage('refreshActivity', { callId }),
  settings: () => messaging.sendMessage('getSidebarSettings', undefined),
  retryLookup: (callId) => messaging.sendMessage('retryLookup', { callId }),
  recordVerbalConsent: (callId, given) =>
    messaging.sendMessage('recordVerbalConsent', { callId, given }),
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
// The agent's browser language picks the sidebar's text and how numbers and times read.
app.translator = createTranslator(navigator.languages);
document.documentElement.lang = app.translator.locale;
document.body.append(app);

// In a CRM tab, the content script that mounted this frame hands over its end of a private
// channel. Only a message from the parent window carrying the secret in this page's own URL is
// trusted: the CRM page's scripts can post to this frame too, but cannot read that URL.
const frameSecret = location.hash.slice(1);
function followScheme(scheme: PageColorScheme): void {
  document.documentElement.style.colorScheme = scheme ?? '';
}
const onConnect = (event: MessageEvent): void => {
  const data = event.data as { type?: unknown; secret?: unknown } | null;
  const port = event.ports[0];
  if (window.parent === window || event.source !== window.parent) return;
  if (data?.type !== FRAME_CONNECT || !frameSecret || data.secret !== frameSecret || !port) return;
  const host = wrap<FrameHost>(port);
  app.frame = host;
  // Light or dark like the CRM beside it; the system decides where the CRM shows no preference.
  host
    .watchColorScheme(proxy(followScheme))
    .then(followScheme)
    .catch(() => followScheme(null));
};
addEventListener('message', onConnect);
