/**
 * Contoso Softphone: a stand-in for the agent's telephony tab.
 *
 * The call panel's DOM is a contract that the extension's detector reads (keep it as it is):
 * `main.softphone[data-softphone]` > `section.call-panel[data-call-state][data-call-id]` with
 * `.caller-number` (empty when idle), `.caller-status`, `button.answer`, `button.hang-up`.
 * Their texts are set as `textContent`, so the elements hold nothing but the text.
 */
import { html, render } from 'lit';
import { type DemoCustomer, initials, loadDemoConfig } from './demo-config';
import { type IvrAnswer, ivrGreeting, ivrIntent, ivrRouting } from './ivr-script';
import { type Call, type CallState, formatDuration, SoftphoneCalls } from './softphone-calls';

export interface SoftphoneApi {
  /**
   * Rings with exactly this text as the caller's number (any format). The IVR panel asks the
   * gateway about the caller beside the ring, unless `ivr` is false: the call comes as from an
   * IVR that asked before it rang, on the contact centre's side (benchmarks of the agent's
   * machine).
   */
  ring(number: string, options?: { ivr?: boolean }): void;
  answer(): void;
  hangUp(): void;
}

declare global {
  interface Window {
    /** Scripted use of the demo softphone (tests, benchmarks). Only on `/softphone`. */
    softphone: SoftphoneApi;
  }
}

const STATUS: Record<CallState, string> = {
  idle: 'Ready for calls',
  ringing: 'Incoming call…',
  connected: 'Connected',
  ended: 'Call ended',
};

const LINE_STATE: Record<CallState, string> = {
  idle: 'Idle',
  ringing: 'Ringing',
  connected: 'On call',
  ended: 'Wrap-up',
};

interface View {
  customers: DemoCustomer[] | undefined;
  configError: string | undefined;
  announcement: string;
}

const view: View = { customers: undefined, configError: undefined, announcement: '' };

/**
 * The IVR in front of this softphone: when a call comes in it asks the gateway (through the demo
 * server, which holds the IVR key) who is calling and where to route, and shows what it said.
 */
interface IvrView {
  callId: string;
  number: string;
  state: 'asking' | 'answered' | 'failed';
  answer?: IvrAnswer;
  error?: string;
  waitedSeconds: number;
}
let ivr: IvrView | undefined;

/** How long the "ask again" button says the caller has waited (past the default overflow). */
const DEMO_WAIT_SECONDS = 75;

async function askIvr(callId: string, number: string, waitedSeconds = 0): Promise<void> {
  ivr = { callId, number, state: 'asking', waitedSeconds };
  update();
  const query = new URLSearchParams({ ani: number });
  if (waitedSeconds > 0) query.set('waitedSeconds', String(waitedSeconds));
  try {
    const response = await fetch(`/ivr/lookup?${query}`, { cache: 'no-store' });
    const body = (await response.json()) as IvrAnswer & { error?: { message?: string } };
    if (ivr?.callId !== callId) return;
    ivr = response.ok
      ? { callId, number, state: 'answered', answer: body, waitedSeconds }
      : {
          callId,
          number,
          state: 'failed',
          error: body.error?.message ?? `HTTP ${response.status}`,
          waitedSeconds,
        };
  } catch (error) {
    if (ivr?.callId !== callId) return;
    ivr = { callId, number, state: 'failed', error: String(error), waitedSeconds };
  }
  update();
}

/**
 * Set while a call goes through the IVR first (its ring needs no second lookup), or comes from
 * an IVR that is not on this page.
 */
let throughIvr = false;

/**
 * The dialer's way in, as a contact centre's: the IVR looks the caller up and routes first, then
 * the agent's phone rings. (`window.softphone.ring` rings at once, the IVR asking beside it.)
 */
async function ringThroughIvr(number: string): Promise<void> {
  throughIvr = true;
  try {
    await askIvr(`ivr-${Date.now()}`, number);
  } finally {
    calls.ring(number);
    throughIvr = false;
  }
}

let ticker: number | undefined;

const calls = new SoftphoneCalls((call) => {
  view.announcement = announce(call);
  syncTicker(call);
  if (call.state === 'ringing' && !throughIvr && call.id !== ivr?.callId)
    void askIvr(call.id, call.number);
  update();
});

window.softphone = {
  ring: (number, options) => {
    if (options?.ivr !== false) return calls.ring(String(number));
    throughIvr = true;
    // Nothing of an earlier caller's IVR answer stays on screen.
    ivr = undefined;
    try {
      calls.ring(String(number));
    } finally {
      throughIvr = false;
    }
  },
  answer: () => calls.answer(),
  hangUp: () => calls.hangUp(),
};

function announce(call: Call): string {
  switch (call.state) {
    case 'ringing':
      return `Incoming call from ${call.number}`;
    case 'connected':
      return `Connected to ${call.number}`;
    case 'ended':
      return 'Call ended';
    default:
      return '';
  }
}

/** Re-renders every second while connected, for the call timer. */
function syncTicker(call: Call): void {
  if (call.state === 'connected' && ticker === undefined) {
    ticker = window.setInterval(update, 1000);
  } else if (call.state !== 'connected' && ticker !== undefined) {
    window.clearInterval(ticker);
    ticker = undefined;
  }
}

function duration(call: Call): string | undefined {
  if (call.connectedAt === undefined) return undefined;
  return formatDuration((call.endedAt ?? Date.now()) - call.connectedAt);
}

function ringFromForm(event: SubmitEvent): void {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const input = form.elements.namedItem('number');
  if (!(input instanceof HTMLInputElement)) return;
  // Rings with exactly what was typed: normalizing is the extension's job.
  if (input.value.trim() === '') {
    input.focus();
    return;
  }
  void ringThroughIvr(input.value);
}

const brandMark = html`<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
  <rect width="24" height="24" rx="6" fill="#38bdf8" />
  <path
    d="M8.6 6.2c.4 0 .8.3.9.7l.7 2.2c.1.4 0 .8-.3 1l-1 .8a8.7 8.7 0 0 0 4.2 4.2l.8-1c.3-.3.7-.4 1-.3l2.2.7c.4.1.7.5.7.9v1.9c0 .6-.5 1.1-1.1 1.1A11.8 11.8 0 0 1 5.6 7.3c0-.6.5-1.1 1.1-1.1z"
    fill="#0b1220"
  />
</svg>`;

function callPanel(call: Call) {
  const time = duration(call);
  const canAnswer = call.state === 'ringing';
  const canHangUp = call.state === 'ringing' || call.state === 'connected';
  return html`<section
    class="call-panel"
    aria-label="Current call"
    data-call-state=${call.state}
    data-call-id=${call.id}
  >
    <div class="caller-number" .textContent=${call.number}></div>
    <div class="caller-status" .textContent=${STATUS[call.state]}></div>
    <div class="call-timer tabular" ?hidden=${time === undefined}>
      <span class="visually-hidden">Call duration </span>${time ?? ''}
    </div>
    <button
      type="button"
      class="answer"
      ?disabled=${!canAnswer}
      @click=${() => calls.answer()}
    >Answer</button>
    <button
      type="button"
      class="hang-up"
      ?disabled=${!canHangUp}
      @click=${() => calls.hangUp()}
    >Hang up</button>
  </section>`;
}

function ivrPanel() {
  if (!ivr) return '';
  const { answer } = ivr;
  const current = ivr;
  const busy = answer?.route.reason === 'own_manager_busy';
  return html`<section
    class="ivr-panel"
    aria-label="IVR"
    aria-live="polite"
    data-state=${ivr.state}
    data-route-to=${answer?.route.to ?? ''}
    data-route-reason=${answer?.route.reason ?? ''}
  >
    <h2>IVR</h2>
    ${
      ivr.state === 'asking'
        ? html`<p class="ivr-says">Looking up the caller…</p>`
        : ivr.state === 'failed'
          ? html`<p class="ivr-error" role="alert">The IVR lookup failed: ${ivr.error}</p>`
          : answer
            ? html`<p class="ivr-says">“${ivrGreeting(answer)}”</p>
                <p class="ivr-route">${ivrRouting(answer)}</p>
                ${ivrIntent(answer) ? html`<p class="ivr-intent">${ivrIntent(answer)}</p>` : ''}
                ${
                  busy
                    ? html`<button
                        type="button"
                        class="ivr-wait"
                        @click=${() =>
                          void askIvr(current.callId, current.number, DEMO_WAIT_SECONDS)}
                      >Caller waited ${DEMO_WAIT_SECONDS} s: ask again</button>`
                    : ''
                }`
            : ''
    }
  </section>`;
}

function customerButtons(customers: DemoCustomer[] | undefined, error: string | undefined) {
  if (error) return html`<p class="dialer-error" role="alert">${error}</p>`;
  if (!customers) return html`<p class="dialer-note">Loading customers…</p>`;
  return html`<ul role="list" class="ring-list">
    ${customers.map(
      (customer) => html`<li>
        <button
          type="button"
          class="ring-as"
          data-customer-id=${customer.id}
          @click=${() => void ringThroughIvr(customer.phoneDisplay)}
        >
          <span class="avatar" aria-hidden="true">${initials(customer.name)}</span>
          <span class="ring-as-text">
            <span class="ring-as-name">Ring as ${customer.name}</span>
            <span class="ring-as-number tabular">${customer.phoneDisplay}</span>
          </span>
        </button>
      </li>`,
    )}
  </ul>`;
}

function dialer() {
  return html`<section class="dialer" aria-labelledby="dialer-title">
    <h2 id="dialer-title">Simulate an incoming call</h2>
    <p class="dialer-note">Rings this softphone as if the customer had called the contact center.</p>
    ${customerButtons(view.customers, view.configError)}
    <form class="any-number" @submit=${ringFromForm}>
      <label for="any-number">Any number</label>
      <div class="any-number-row">
        <input
          id="any-number"
          name="number"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          spellcheck="false"
          placeholder="Type a number in any format"
        />
        <button type="submit" class="ring">Ring</button>
      </div>
    </form>
  </section>`;
}

function app() {
  const call = calls.call;
  return html`<div class="device">
      <header class="phone-bar">
        <span class="brand">${brandMark}<span>Contoso Softphone</span></span>
        <span class="presence"><span class="presence-dot" aria-hidden="true"></span>Available</span>
      </header>
      <div class="line-info">
        <span>Line 1 · Customer Care queue</span>
        <span class="line-state" data-state=${call.state}>${LINE_STATE[call.state]}</span>
      </div>
      <main class="softphone" data-softphone="caller-context-demo">
        ${callPanel(call)} ${ivrPanel()} ${dialer()}
      </main>
    </div>
    <p class="visually-hidden" aria-live="assertive">${view.announcement}</p>
    <p class="page-note">Demo softphone for Caller Context. Numbers are fictional.</p>`;
}

function update(): void {
  render(app(), document.body);
  document.title =
    calls.call.state === 'ringing' ? `Incoming call · Contoso Softphone` : 'Contoso Softphone';
}

update();
loadDemoConfig().then(
  (config) => {
    view.customers = config.customers;
    update();
  },
  (error: unknown) => {
    view.configError = `Could not load the demo customers: ${error instanceof Error ? error.message : String(error)}`;
    update();
  },
);
