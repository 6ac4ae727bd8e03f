/** The agent asks to look the call's caller up again (a source failed, or the lookup did). */
export class RetryLookupEvent extends Event {
  static readonly type = 'cc-retry-lookup';

  constructor(readonly callId: string) {
    super(RetryLookupEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'cc-retry-lookup': RetryLookupEvent;
  }
}
