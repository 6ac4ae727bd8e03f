/**
 * The softphone's call state machine: idle -> ringing -> connected -> ended -> idle (after
 * {@link ENDED_RESET_MS}). Ringing while a call is active replaces that call. No DOM here, so
 * the page and tests drive it alike.
 */

export type CallState = 'idle' | 'ringing' | 'connected' | 'ended';

export interface Call {
  state: CallState;
  /** New for every ring; empty when idle. */
  id: string;
  /** Exactly as it was rung (any format); empty when idle. */
  number: string;
  /** When the call was answered (ms since epoch). */
  connectedAt?: number;
  /** When the call ended (ms since epoch). */
  endedAt?: number;
}

export const IDLE_CALL: Call = Object.freeze({ state: 'idle', id: '', number: '' });

/** How long "Call ended" stays on screen before the panel returns to idle. */
export const ENDED_RESET_MS = 3000;

export interface CallClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserClock: CallClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
};

export class SoftphoneCalls {
  #call: Call = IDLE_CALL;
  #sequence = 0;
  #resetTimer: unknown;
  readonly #onChange: (call: Call) => void;
  readonly #clock: CallClock;

  constructor(onChange: (call: Call) => void, clock: CallClock = browserClock) {
    this.#onChange = onChange;
    this.#clock = clock;
  }

  get call(): Call {
    return this.#call;
  }

  ring(number: string): void {
    this.#sequence += 1;
    const id = `call-${this.#clock.now().toString(36)}-${this.#sequence}`;
    this.#set({ state: 'ringing', id, number });
  }

  answer(): void {
    if (this.#call.state !== 'ringing') return;
    this.#set({ ...this.#call, state: 'connected', connectedAt: this.#clock.now() });
  }

  hangUp(): void {
    if (this.#call.state !== 'ringing' && this.#call.state !== 'connected') return;
    this.#set({ ...this.#call, state: 'ended', endedAt: this.#clock.now() });
    this.#resetTimer = this.#clock.setTimeout(() => {
      this.#resetTimer = undefined;
      this.#set(IDLE_CALL);
    }, ENDED_RESET_MS);
  }

  #set(call: Call): void {
    if (this.#resetTimer !== undefined) {
      this.#clock.clearTimeout(this.#resetTimer);
      this.#resetTimer = undefined;
    }
    this.#call = call;
    this.#onChange(call);
  }
}

/** `mm:ss`, or `h:mm:ss` past an hour. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mmss = `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
  return hours > 0 ? `${hours}:${mmss}` : mmss;
}
