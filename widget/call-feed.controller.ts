import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallSession } from '../shared/call';
import type { SidebarSettings } from '../shared/protocol';

/** Where the sidebar gets the current call from (the background, in the extension). */
export interface CallFeed {
  current(): Promise<CallSession | null>;
  /** Calls `onChange` with every new state of the current call; returns the unsubscribe. */
  subscribe(onChange: (session: CallSession | null) => void): () => void;
  /** Fetches the live call's newest web activity; the change then arrives through `subscribe`. */
  refreshActivity?(callId: string): Promise<{ ok: boolean; error?: string }>;
  /** Looks the call's caller up again; the new state arrives through `subscribe`. */
  retryLookup?(callId: string): Promise<{ ok: boolean; error?: string }>;
  /** Keeps an anonymous caller's spoken answer; the call's new state arrives through `subscribe`. */
  recordVerbalConsent?(callId: string, given: boolean): Promise<{ ok: boolean; error?: string }>;
  /** The agent picked one of several customers; the call's new state arrives through `subscribe`. */
  pickMatch?(callId: string, profileId: string): Promise<{ ok: boolean; error?: string }>;
  /** The config's say on what the sidebar offers (CRM links). */
  settings?(): Promise<SidebarSettings>;
}

/**
 * Keeps a host element's `call` in step with the background. Pushed changes win over an
 * older answer to the initial read, so a late reply cannot show a stale call.
 */
export class CallFeedController implements ReactiveController {
  call: CallSession | null = null;
  loaded = false;
  /** The background did not answer (it is restarting); the controller keeps asking. */
  restarting = false;
  private unsubscribe: (() => void) | undefined;
  private version = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly feed: CallFeed,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = this.feed.subscribe((session) => {
      this.version++;
      this.apply(session);
    });
    void this.refresh();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  async refresh(): Promise<void> {
    const version = this.version;
    try {
      const session = await this.feed.current();
      if (version === this.version) this.apply(session);
    } catch {
      this.restarting = true;
      this.host.requestUpdate();
      setTimeout(() => void this.refresh(), 1000);
    }
  }

  private apply(session: CallSession | null): void {
    this.call = session;
    this.loaded = true;
    this.restarting = false;
    this.host.requestUpdate();
  }
}
