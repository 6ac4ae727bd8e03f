/**
 * Asks for an address to open in the agent's CRM tab (a screen pop). Whoever can navigate the
 * CRM tab (the sidebar frame's host) calls `preventDefault()`; otherwise the link opens as a link.
 */
export class OpenInCrmEvent extends Event {
  static readonly type = 'cc-open-in-crm';

  constructor(readonly url: string) {
    super(OpenInCrmEvent.type, { bubbles: true, composed: true, cancelable: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'cc-open-in-crm': OpenInCrmEvent;
  }
}
