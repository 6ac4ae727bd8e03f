import { messaging } from '../../shared/protocol';
import type { CallFeed } from '../../widget/call-feed.controller';
import { defineSidebarElements } from '../../widget/define';

const feed: CallFeed = {
  current: () => messaging.sendMessage('getCurrentCall', undefined),
  subscribe: (onChange) => messaging.onMessage('callChanged', ({ data }) => onChange(data)),
  refreshActivity: (callId) => messaging.sendMessage('refreshActivity', { callId }),
};

defineSidebarElements();
const app = document.createElement('cc-sidebar-app');
app.feed = feed;
document.body.append(app);
