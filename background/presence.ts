import type { CallSession } from '../shared/call';
import type { ExtensionConfig } from '../shared/config';
import type { FetchLike } from './gateway-client';

/** What the gateway's `POST /v1/presence` takes (README, "IVR"). */
export type PresenceState = 'available' | 'busy' | 'wrap_up' | 'offline';

export const PRESENCE_ALARM = 'presence';
/**
 * The heartbeat: the gateway counts an agent silent for 90 s as offline, so the state is repeated
 * every minute. An alarm, because the worker sleeps after 30 s idle and a timer would die with it
 * (https://developer.chrome.com/docs/extensions/reference/api/alarms: 30 s is the shortest period).
 */
export const HEARTBEAT_MINUTES = 1;
/** An ended call not logged after this long no longer holds the agent in wrap-up. */
export const WRAP_UP_LIMIT_MS = 15 * 60_000;
/** A token the gateway says names no agent (403) is not asked again for this long. */
export const REFUSED_PAUSE_MS = 10 * 60_000;
const SEND_TIMEOUT_MS = 10_000;
const LAST_SENT_KEY = 'presence.lastSent';

interface LastSent {
  state: PresenceState;
  /** ms since the epoch. */
  at: number;
  gatewayUrl: string;
  /** Which sign-in it was sent with: a digest of the static token (never the token), or `oidc`. */
  signIn: string;
  /** Set when the gateway refused the token (403): nothing is sent before this time. */
  refusedUntil?: number;
}

/** The parts of `browser.storage.session` and `browser.alarms` presence uses (tests hand fakes). */
export interface PresenceDeps {
  gateway: () => Promise<Pick<ExtensionConfig, 'gatewayUrl' | 'gatewayToken'>>;
  /** The gateway fetch (with the agent's OIDC token when sign-in is configured). */
  fetch: FetchLike;
  /** The call the sidebar shows: on it, ringing, or ended and not wrapped up yet. */
  currentCall: () => Promise<CallSession | null>;
  session: {
    get(key: string): Promise<Record<string, unknown>>;
    set(items: Record<string, unknown>): Promise<void>;
  };
  alarms: {
    get(name: string): Promise<unknown>;
    create(name: string, info: { periodInMinutes: number; delayInMinutes?: number }): unknown;
  };
  /** The browser's open windows (none left: the browser is closing). */
  openWindows: () => Promise<unknown[]>;
  now?: () => number;
}

/** The agent's state from the call the sidebar shows. */
export function presenceOf(call: CallSession | null, now: number): PresenceState {
  if (!call) return 'available';
  if (call.state === 'ringing' || call.state === 'connected') return 'busy';
  if (call.state === 'ended' && call.connectedAt && !call.missed) {
    const ended = Date.parse(call.endedAt ?? call.updatedAt);
    if (Number.isFinite(ended) && now - ended < WRAP_UP_LIMIT_MS) return 'wrap_up';
  }
  return 'available';
}

/**
 * The signed-in agent's presence, told to the gateway when it changes and every minute as a
 * heartbeat, and `offline` when the last browser window closes (where the browser lets the request
 * out before it quits). What was last sent is kept in session storage, since this worker keeps
 * nothing in memory between wake-ups.
 */
export function createPresence(deps: PresenceDeps) {
  const now = deps.now ?? Date.now;

  const lastSent = async (): Promise<LastSent | undefined> => {
    const value = (await deps.session.get(LAST_SENT_KEY))[LAST_SENT_KEY];
    return isLastSent(value) ? value : undefined;
  };

  const send = async (state: PresenceState, keepalive = false): Promise<void> => {
    const gateway = await deps.gateway();
    if (!gateway.gatewayUrl) return;
    const signIn = await signInOf(gateway.gatewayToken);
    const previous = await lastSent();
    const same = previous?.gatewayUrl === gateway.gatewayUrl && previous.signIn === signIn;
    // A token the gateway refused is not asked again for a while; another token or gateway is.
    if (same && previous?.refusedUntil && previous.refusedUntil > now()) return;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (gateway.gatewayToken) headers.authorization = `Bearer ${gateway.gatewayToken}`;
    const response = await deps.fetch(`${gateway.gatewayUrl}/v1/presence`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ state }),
      keepalive,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const at = now();
    if (response.status === 403) {
      // The token names no agent (a shared demo or kiosk token): the gateway keeps no presence.
      const refused: LastSent = {
        state,
        at,
        gatewayUrl: gateway.gatewayUrl,
        signIn,
        refusedUntil: at + REFUSED_PAUSE_MS,
      };
      await deps.session.set({ [LAST_SENT_KEY]: refused });
      return;
    }
    if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
    const sent: LastSent = { state, at, gatewayUrl: gateway.gatewayUrl, signIn };
    await deps.session.set({ [LAST_SENT_KEY]: sent });
  };

  return {
    /**
     * Tells the gateway the current state: on a change only when it differs from the last one
     * sent (or that is older than a heartbeat), on a heartbeat always.
     */
    async sync(reason: 'change' | 'heartbeat', current?: CallSession | null): Promise<void> {
      // A change hands in the call it is about; a heartbeat reads it.
      const state = presenceOf(current !== undefined ? current : await deps.currentCall(), now());
      if (reason === 'change') {
        const previous = await lastSent();
        const gateway = await deps.gateway();
        const fresh = previous && now() - previous.at < HEARTBEAT_MINUTES * 60_000;
        const same =
          previous?.gatewayUrl === gateway.gatewayUrl &&
          previous.signIn === (await signInOf(gateway.gatewayToken));
        if (previous?.state === state && same && fresh && !previous.refusedUntil) return;
      }
      await send(state);
    },

    /** The heartbeat alarm, created only when missing so a waking worker does not reset it. */
    async schedule(): Promise<void> {
      if (await deps.alarms.get(PRESENCE_ALARM)) return;
      await deps.alarms.create(PRESENCE_ALARM, {
        periodInMinutes: HEARTBEAT_MINUTES,
        delayInMinutes: HEARTBEAT_MINUTES,
      });
    },

    /** A window closed: when it was the last one, the agent goes offline. */
    async windowClosed(): Promise<void> {
      if ((await deps.openWindows()).length > 0) return;
      await send('offline', true);
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;

function isLastSent(value: unknown): value is LastSent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.state === 'string' &&
    typeof v.at === 'number' &&
    typeof v.gatewayUrl === 'string' &&
    typeof v.signIn === 'string'
  );
}

/** Tells sign-ins apart without keeping the token: its SHA-256, shortened; `oidc` without one. */
async function signInOf(token: string | undefined): Promise<string> {
  if (!token) return 'oidc';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(digest).slice(0, 8)]
    .map((byte) => byte.toString(16).padStart(2, '0'))
    .join('');
}

/** Presence is best effort: the next heartbeat tells the state again. */
export function reportPresenceFailure(error: unknown): void {
  console.debug('presence not sent:', error instanceof Error ? error.message : error);
}
