import type { DetectedCallState } from '../../shared/call';
import type { Detector } from './detector';

const STATES: Record<string, DetectedCallState> = {
  ringing: 'ringing',
  connected: 'connected',
  ended: 'ended',
};

/**
 * The demo softphone (`npm run demo`): a `[data-softphone]` page whose call panel carries its
 * state in `data-call-state` and the caller's number in `.caller-number`.
 */
export const demoSoftphone: Detector = {
  id: 'demo-softphone',
  matches: ['http://127.0.0.1/*', 'http://localhost/*'],
  applies: ({ hostname, pathname }) =>
    (hostname === '127.0.0.1' || hostname === 'localhost') && pathname.startsWith('/softphone'),
  read(doc) {
    const panel = doc.querySelector('[data-softphone] .call-panel');
    const state = STATES[panel?.getAttribute('data-call-state') ?? ''];
    const raw = panel?.querySelector('.caller-number')?.textContent?.trim();
    if (!panel || !state || !raw) return null;
    const callId = panel.getAttribute('data-call-id');
    return callId ? { raw, state, callId } : { raw, state };
  },
};
