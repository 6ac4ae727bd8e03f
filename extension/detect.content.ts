import { defineContentScript } from 'wxt/utils/define-content-script';
import { PAGE_SETTINGS_KEY, type PageSettings, readPageSettings } from '../shared/page-settings';
import { detectionKey, pageDetectors, pageLocation } from './detect/page-detectors';
import { detectorMatches, detectors } from './detect/registry';
import { sendToBackground } from './detect/send';
import { watchForCallers } from './detect/watch';

/** Set once per page: the declared script, a registered one and an injected one may all run. */
const RUNNING = Symbol.for('caller-context.detect');

export default defineContentScript({
  // Built-in detectors' platforms, and loopback for the demo and the tests. Admin-rule origins
  // are registered at run time (background/rule-scripts.ts).
  matches: [...detectorMatches],
  // Softphones are often embedded in the CRM (a CTI adapter's frame, a widget's iframe, a frame
  // the page writes itself): every frame is read, about:blank and srcdoc ones included.
  allFrames: true,
  matchOriginAsFallback: true,
  runAt: 'document_idle',
  async main(ctx) {
    const page = globalThis as { [RUNNING]?: boolean };
    if (page[RUNNING]) return;
    page[RUNNING] = true;
    const where = pageLocation(window);
    let watching: AbortController | undefined;
    let applied: string | undefined;
    // The settings come from storage, not from the worker: they are there at once (the last
    // known config, published at every worker start), and follow every change of policy or
    // settings without a reload (docs/architecture.md, "Settings that reach open tabs").
    const apply = (settings: PageSettings | undefined) => {
      const key = detectionKey(settings);
      if (key === applied || ctx.isInvalid) return;
      applied = key;
      watching?.abort();
      const detectorsHere = pageDetectors(detectors, settings, where, document);
      if (detectorsHere.length === 0) return;
      const current = new AbortController();
      watching = current;
      ctx.onInvalidated(() => current.abort());
      watchForCallers({
        detectors: detectorsHere,
        doc: document,
        signal: current.signal,
        report: (sighting) => {
          if (ctx.isInvalid) return;
          sendToBackground('reportCaller', sighting).catch(() => {
            // The worker is restarting or the extension was reloaded; the next change reports again.
          });
        },
      });
    };
    const changed = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
      if (area === 'local' && PAGE_SETTINGS_KEY in changes)
        apply(readPageSettings(changes[PAGE_SETTINGS_KEY]?.newValue));
    };
    chrome.storage.onChanged.addListener(changed);
    ctx.onInvalidated(() => chrome.storage.onChanged.removeListener(changed));
    const stored = await chrome.storage.local.get(PAGE_SETTINGS_KEY).catch(() => ({}));
    // Nothing published yet (a first install, the policy still being read): the built-in
    // detectors start now, the admin's rules join as soon as the settings arrive.
    apply(readPageSettings((stored as Record<string, unknown>)[PAGE_SETTINGS_KEY]));
  },
});
