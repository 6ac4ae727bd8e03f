import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type CallSession, verbalConsentWithholds } from '../shared/call';
import type { Problem } from '../shared/problem';

/** How often a live call's activity is refreshed (the "every 2 s"). */
export const LIVE_REFRESH_MS = 2000;

export type RefreshActivity = (
  callId: string,
) => Promise<{ ok: boolean; error?: string; problem?: Problem }>;

/**
 * Why live updates stopped, for the host to word in the agent's language: the background's
 * answer (its code, else its text), or the background not answering at all.
 */
export type LiveError =
  | { kind: 'failed'; problem?: Problem; message?: string }
  | { kind: 'restarting' };

/**
 * While a looked-up call rings or is connected, asks for its newest web activity every two
 * seconds; stops when the call ends or the page goes away, and waits while an anonymous
 * caller's permission is awaited or was declined. One request at a time: a slow
 * gateway is never asked again before it answered.
 */
export class LiveActivityController implements ReactiveController {
  /** Why the last refresh failed; cleared by the next success. */
  error: LiveError | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private callId: string | null = null;
  private inFlight = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly refresh: RefreshActivity,
    private readonly intervalMs = LIVE_REFRESH_MS,
  ) {
    host.addController(this);
  }

  /** Follows the call the host shows; call it whenever that call changes. */
  follow(call: CallSession | null): void {
    const live =
      call !== null &&
      call.lookup.status === 'done' &&
      (call.state === 'ringing' || call.state === 'connected') &&
      // An anonymous caller's answer is awaited or was no: nothing past the number is asked for.
      !verbalConsentWithholds(call);
    const id = live ? call.id : null;
    if (id === this.callId) return;
    this.callId = id;
    this.error = null;
    clearTimeout(this.timer);
    if (id) this.schedule();
  }

  hostDisconnected(): void {
    clearTimeout(this.timer);
    this.callId = null;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }

  private async tick(): Promise<void> {
    const id = this.callId;
    if (!id || this.inFlight) return;
    this.inFlight = true;
    try {
      const result = await this.refresh(id);
      this.error = result.ok
        ? null
        : {
            kind: 'failed',
            ...(result.problem ? { problem: result.problem } : {}),
            ...(result.error ? { message: result.error } : {}),
          };
    } catch {
      this.error = { kind: 'restarting' };
    } finally {
      this.inFlight = false;
    }
    this.host.requestUpdate();
    if (this.callId === id) this.schedule();
  }
}
