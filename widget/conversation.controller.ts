import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallSession } from '../shared/call';
import type { ConversationState } from '../shared/conversation';
import type { ConversationFeed } from './conversation-backend';

/**
 * Asked this often while a call shows: the background repeats its join as a heartbeat once a
 * minute and restarts a notes stream a stopped worker lost; the ask also keeps the worker awake.
 */
export const FOLLOW_EVERY_MS = 20_000;

/**
 * Keeps a host's `state` in step with the conversation of the call it shows: asks the background
 * to follow it whenever the call changes in a way that matters (looked up, answered, ended, a
 * pick) and every 20 s, and takes every change the background pushes for that call.
 */
export class ConversationController implements ReactiveController {
  state: ConversationState | null = null;
  #call: CallSession | null = null;
  #asked = '';
  #timer: ReturnType<typeof setInterval> | undefined;
  #soon: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly feed: ConversationFeed,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#unsubscribe = this.feed.subscribe((state) => {
      if (state.callId !== this.#call?.id) return;
      this.state = state;
      this.host.requestUpdate();
    });
    this.#timer = setInterval(() => this.#ask(true), FOLLOW_EVERY_MS);
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearInterval(this.#timer);
    clearTimeout(this.#soon);
  }

  /** The call the host shows now (called from its `willUpdate`). */
  show(call: CallSession | null): void {
    if (call?.id !== this.#call?.id) this.state = null;
    this.#call = call;
    // Asked a task later, once the host has drawn the call: the caller's name comes first, and a
    // message sent now would hold up that render (bench/pop-profile.ts).
    clearTimeout(this.#soon);
    this.#soon = setTimeout(() => this.#ask(false), 0);
  }

  #ask(always: boolean): void {
    const call = this.#call;
    if (!call || call.state === 'wrapped_up') return;
    const key = `${call.id}|${call.state}|${call.lookup.status}|${call.pickedProfileId ?? ''}`;
    if (!always && key === this.#asked) return;
    this.#asked = key;
    const callId = call.id;
    this.feed
      .follow(callId)
      .then((state) => {
        if (!state || this.#call?.id !== callId) return;
        this.state = state;
        this.host.requestUpdate();
      })
      // The sidebar shows the caller without it; the next ask tries again.
      .catch(() => {});
  }
}
