/**
 * Sends the signed-in shopper's web events to the Caller Context gateway
 * (`POST /v1/collect`, docs/architecture.md "Gateway HTTP API"), and counts what it accepted.
 */

export type WebEventType = 'page_view' | 'product_view' | 'cart_add' | 'search';

export interface WebEvent {
  type: WebEventType;
  title: string;
  /** Path and query on this site, e.g. `/shop/product/drip-tray`. */
  url: string;
  value?: number;
  currency?: string;
}

export interface ActivityStatus {
  /** Events the gateway accepted (2xx, normally 202). */
  sent: number;
  /** Events the gateway refused or could not be reached for. */
  failed: number;
  /** Why the last send failed, if it did. */
  lastError: string | undefined;
}

export interface CollectEndpoint {
  gatewayUrl: string;
  collectToken: string;
}

async function describeRefusal(response: Response): Promise<string> {
  let message = '';
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const error: unknown = body.error;
      if (typeof error === 'object' && error !== null && 'message' in error) {
        message = String(error.message);
      }
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return `the gateway refused the events (${response.status}${message ? `: ${message}` : ''})`;
}

/**
 * The shop backend's identity token for the signed-in customer (README, "Collecting web
 * events"): with a public site key the gateway stores events only for the identity it names.
 */
export type IdentityTokenSource = (email: string) => Promise<string>;

export class ActivityCollector {
  #status: ActivityStatus = { sent: 0, failed: 0, lastError: undefined };
  readonly #endpoint: CollectEndpoint;
  readonly #onChange: (status: ActivityStatus) => void;
  readonly #identityToken: IdentityTokenSource | undefined;

  constructor(
    endpoint: CollectEndpoint,
    onChange: (status: ActivityStatus) => void,
    identityToken?: IdentityTokenSource,
  ) {
    this.#endpoint = endpoint;
    this.#onChange = onChange;
    this.#identityToken = identityToken;
  }

  get status(): ActivityStatus {
    return this.#status;
  }

  /** Sends the events as one batch for `email:<email>`. Never throws: failures are counted. */
  async send(email: string, events: WebEvent[]): Promise<void> {
    if (events.length === 0) return;
    let error: string | undefined;
    try {
      const identityToken = await this.#identityToken?.(email);
      const response = await fetch(`${this.#endpoint.gatewayUrl}/v1/collect`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${this.#endpoint.collectToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          identity: `email:${email}`,
          events,
          ...(identityToken ? { identityToken } : {}),
        }),
      });
      if (!response.ok) error = await describeRefusal(response);
    } catch {
      error = 'the Caller Context gateway could not be reached';
    }
    const { sent, failed } = this.#status;
    this.#status = error
      ? { sent, failed: failed + events.length, lastError: error }
      : { sent: sent + events.length, failed, lastError: this.#status.lastError };
    this.#onChange(this.#status);
  }
}
