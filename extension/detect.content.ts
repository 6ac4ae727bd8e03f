import { defineContentScript } from 'wxt/utils/define-content-script';
import { messaging } from '../shared/protocol';
import { detectors } from './detect/registry';
import { watchForCallers } from './detect/watch';

export default defineContentScript({
  // Built-in detectors' platforms, and loopback for the demo and the tests.
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  runAt: 'document_idle',
  main(ctx) {
    const applicable = detectors.filter((d) => d.applies(location));
    if (applicable.length === 0) return;
    watchForCallers({
      detectors: applicable,
      doc: document,
      signal: ctx.signal,
      report: (sighting) => {
        if (ctx.isInvalid) return;
        messaging.sendMessage('reportCaller', sighting).catch(() => {
          // The worker is restarting or the extension was reloaded; the next change reports again.
        });
      },
    });
  },
});
