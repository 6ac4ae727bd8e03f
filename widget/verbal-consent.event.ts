/** The agent recorded an anonymous caller's spoken answer: may we look at their visit? */
export class VerbalConsentEvent extends Event {
  static readonly type = 'cc-verbal-consent';

  /**
   * Set by whoever records the answer (the sidebar app): settles once it is kept, or says why
   * not. Left unset, the component reports that nothing took the answer.
   */
  recorded: Promise<{ ok: boolean; error?: string }> | undefined;

  constructor(
    readonly callId: string,
    readonly given: boolean,
  ) {
    super(VerbalConsentEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'cc-verbal-consent': VerbalConsentEvent;
  }
}
