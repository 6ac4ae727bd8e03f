import { proxy, wrap } from 'comlink';
import { FRAME_CONNECT, type FrameHost, type PageColorScheme } from '../../shared/frame-host';
import { messaging } from '../../shared/protocol';
import type { CallFeed } from '../../widget/call-feed.controller';
import { conversationBackend, conversationFeed } from '../../widget/conversation-messages';
import { defineSidebarElements } from '../../widget/define';
import { createTranslator } from '../../widget/i18n/catalog';
import { outboxMessages } from '../../widget/outbox-messages';
import type { WaitingCallsSource } from '../../widget/waiting-calls.component';
import type { WrapUpBackend } from '../../widget/wrap-up-backend';

const feed: CallFeed = {
  current: () => messaging.sendMessage('getCurrentCall', undefined),
  subscribe: (onChange) => messaging.onMessage('callChanged', ({ data }) => onChange(data)),
  refreshActivity: (callId) => messaging.sendMessage('refreshActivity', { callId }),
  settings: () => messaging.sendMessage('getSidebarSettings', undefined),
  retryLookup: (callId) => messaging.sendMessage('retryLookup', { callId }),
  pickMatch: (callId, profileId) => messaging.sendMessage('pickMatch', { callId, profileId }),
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
};
const waitingCalls: WaitingCallsSource = () => messaging.sendMessage('getWaitingCalls', undefined);

defineSidebarElements();
// The agent's browser language picks the sidebar's text and how numbers and times read.
const translator = createTranslator(navigator.languages);
document.documentElement.lang = translator.locale;

// In a CRM tab, the content script that mounted this frame hands over its end of a private
// channel. Only a message from the parent window carrying the secret in this page's own URL is
// trusted: the CRM page's scripts can post to this frame too, but cannot read that URL.
const frameSecret = location.hash.slice(1);
const framed = window.parent !== window;
let app: HTMLElementTagNameMap['cc-sidebar-app'] | undefined;
let hostPort: MessagePort | undefined;

function followScheme(scheme: PageColorScheme): void {
  document.documentElement.style.colorScheme = scheme ?? '';
}

function connect(): void {
  if (!app || !hostPort) return;
  const host = wrap<FrameHost>(hostPort);
  hostPort = undefined;
  app.frame = host;
  // Light or dark like the CRM beside it; the system decides where the CRM shows no preference.
  host
    .watchColorScheme(proxy(followScheme))
    .then(followScheme)
    .catch(() => followScheme(null));
}

// Listening from the first moment: the content script sends the channel when the frame loads,
// which may be before the background has answered below.
addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { type?: unknown; secret?: unknown } | null;
  const port = event.ports[0];
  if (!framed || event.source !== window.parent) return;
  if (data?.type !== FRAME_CONNECT || !frameSecret || data.secret !== frameSecret || !port) return;
  hostPort = port;
  connect();
});

async function start(): Promise<void> {
  // A copy of this page that a CRM page framed itself (it is web-accessible, so it can) has a
  // secret our content script never registered: it shows no caller, and nothing to click.
  const { trusted } = framed
    ? await messaging
        .sendMessage('sidebarFrameTrusted', { secret: frameSecret })
        .catch(() => ({ trusted: false }))
    : { trusted: true };
  if (!trusted) {
    // A page of its own, with a heading and a landmark like the sidebar's (axe).
    const main = document.createElement('main');
    main.style.cssText = 'font: 14px system-ui, sans-serif; margin: 16px;';
    const heading = document.createElement('h1');
    heading.textContent = 'Caller Context';
    heading.style.cssText = 'font-size: 14px; margin: 0 0 8px;';
    const notice = document.createElement('p');
    notice.textContent = translator.t('untrustedFrame');
    notice.style.margin = '0';
    main.append(heading, notice);
    document.body.append(main);
    return;
  }
  app = document.createElement('cc-sidebar-app');
  app.feed = feed;
  app.conversations = conversationFeed;
  app.conversationBackend = conversationBackend;
  app.wrapUp = wrapUpBackend;
  app.outbox = outboxMessages;
  app.waitingCalls = waitingCalls;
  app.translator = translator;
  document.body.append(app);
  connect();
}
void start();
