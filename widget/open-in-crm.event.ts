import { html } from 'lit';

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

/**
 * A link into the CRM that `host` renders: opened in the CRM tab when the frame's host can (it
 * cancels the event), else as a new tab.
 */
export function crmLink(host: EventTarget, url: string, label: unknown) {
  return html`<a
    href=${url}
    target="_blank"
    rel="noopener noreferrer"
    @click=${(event: MouseEvent) => {
      const request = new OpenInCrmEvent(url);
      host.dispatchEvent(request);
      if (request.defaultPrevented) event.preventDefault();
    }}
    >${label}</a
  >`;
}

declare global {
  interface HTMLElementEventMap {
    'cc-open-in-crm': OpenInCrmEvent;
  }
}
