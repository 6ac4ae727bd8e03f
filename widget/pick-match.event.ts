/** The agent picked which of several customers sharing the number is calling. */
export class PickMatchEvent extends Event {
  static readonly type = 'cc-pick-match';

  constructor(
    readonly callId: string,
    readonly profileId: string,
  ) {
    super(PickMatchEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'cc-pick-match': PickMatchEvent;
  }
}
