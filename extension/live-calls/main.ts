import { messaging } from '../../shared/protocol';
import { conversationBackend, conversationFeed } from '../../widget/conversation-messages';
import { defineSidebarElements } from '../../widget/define';
import { createTranslator } from '../../widget/i18n/catalog';
import { CcLiveCalls } from '../../widget/live-calls.component';

// The supervisors' Live calls (README, "Supervisors"): an extension page, so what it shows of
// customers stays out of any web page, as the sidebar's does.
defineSidebarElements();
if (!customElements.get('cc-live-calls')) customElements.define('cc-live-calls', CcLiveCalls);
const translator = createTranslator(navigator.languages);
document.documentElement.lang = translator.locale;
document.title = `Caller Context: ${translator.t('liveCalls.title')}`;

const page = document.createElement('cc-live-calls');
page.translator = translator;
page.conversations = conversationFeed;
// A supervisor listening in adds notes; there is no handover from here.
page.conversationBackend = conversationBackend;
page.api = {
  list: () => messaging.sendMessage('getLiveCalls', undefined),
  monitor: (conversationId) => messaging.sendMessage('monitorCall', { conversationId }),
};
document.body.append(page);
