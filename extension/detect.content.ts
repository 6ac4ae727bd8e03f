import { defineContentScript } from 'wxt/utils/define-content-script';
import type { Detector } from './detect/detector';
import { detectorMatches, detectors } from './detect/registry';
import { compileRules } from './detect/rules';
import { sendToBackground } from './detect/send';
import { watchForCallers } from './detect/watch';

/** Set once per page: the declared script and an admin-rule registration may both match it. */
const RUNNING = Symbol.for('caller-context.detect');

export default defineContentScript({
  // Built-in detectors' platforms, and loopback for the demo and the tests. Admin-rule origins
  // are registered at run time once granted (background/rule-scripts.ts).
  matches: [...detectorMatches],
  runAt: 'document_idle',
  async main(ctx) {
    const page = globalThis as { [RUNNING]?: boolean };
    if (page[RUNNING]) return;
    page[RUNNING] = true;
    const builtIn = detectors.filter((d) => d.applies(location));
    // Only ask the background for rules on pages no built-in detector owns, or where rules may
    // add to it: the answer is small and rules are checked against this tab's URL there.
    let ruleDetectors: Detector[] = [];
    try {
      const { rules } = await sendToBackground('detectionRules', undefined);
      ruleDetectors = compileRules(rules, document).detectors.filter((d) => d.applies(location));
    } catch {
      // The worker is restarting: the built-in detectors still work.
    }
    // Admin rules first: an admin who describes a page knows it better than our defaults.
    const applicable = [...ruleDetectors, ...builtIn];
    if (applicable.length === 0 || ctx.isInvalid) return;
    watchForCallers({
      detectors: applicable,
      doc: document,
      signal: ctx.signal,
      report: (sighting) => {
        if (ctx.isInvalid) return;
        sendToBackground('reportCaller', sighting).catch(() => {
          // The worker is restarting or the extension was reloaded; the next change reports again.
        });
      },
    });
  },
});
