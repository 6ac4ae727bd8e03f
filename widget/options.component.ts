import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConfigKey, ExtensionConfig } from '../shared/config';
import type {
  ConnectionReport,
  SaveSettingsResult,
  SettingsView,
  SignInView,
} from '../shared/protocol';
import { optionsStyles } from './options.styles';
import { theme } from './theme.styles';

/** What the options page needs from the background. */
export interface OptionsApi {
  getSettings(): Promise<SettingsView>;
  saveSettings(patch: Partial<Record<ConfigKey, unknown>>): Promise<SaveSettingsResult>;
  testConnection(identity: string): Promise<ConnectionReport>;
  clearLocalData(): Promise<{ cleared: string[] }>;
  getSignInStatus(): Promise<SignInView>;
  signIn(): Promise<SignInView>;
  signOut(): Promise<SignInView>;
  signInDynamics(): Promise<{ ok: boolean; message: string }>;
  /** Calls back when the effective settings may have changed (a new policy). */
  onSettingsChanged(callback: () => void): () => void;
}

type Kind = 'text' | 'password' | 'lines' | 'json' | 'checkbox' | 'number';

interface FieldSpec {
  key: ConfigKey;
  label: string;
  hint: string;
  kind: Kind;
  /** What an emptied field saves: `null` resets the key to its default. */
  empty?: unknown;
}

const GATEWAY_FIELDS: FieldSpec[] = [
  {
    key: 'gatewayUrl',
    label: 'Gateway URL',
    hint: 'https://… (plain http only on this computer)',
    kind: 'text',
  },
  {
    key: 'gatewayToken',
    label: 'Gateway token',
    hint: 'A static token, for the demo and development',
    kind: 'password',
  },
  {
    key: 'oidc',
    label: 'Sign-in provider',
    hint: 'JSON: {"issuer": "https://login.example.com", "clientId": "…"}; empty for none',
    kind: 'json',
    empty: null,
  },
];
const CALL_FIELDS: FieldSpec[] = [
  {
    key: 'defaultRegion',
    label: 'Default region',
    hint: 'For numbers without a country code, e.g. GB or US',
    kind: 'text',
  },
  {
    key: 'crmMatches',
    label: 'CRM pages',
    hint: 'One match pattern per line, e.g. https://*.crm.dynamics.com/*',
    kind: 'lines',
  },
  {
    key: 'detectionRules',
    label: 'Detection rules',
    hint: 'JSON list of rules: matches, selector, pattern, urlParam, titlePattern',
    kind: 'json',
  },
  {
    key: 'requireVerbalConsent',
    label: 'Ask anonymous callers first',
    hint: 'For a number no customer has, look up nothing more until the caller agrees on the phone',
    kind: 'checkbox',
  },
  {
    key: 'callDataRetentionHours',
    label: 'Keep finished calls (hours)',
    hint: "How long a call's customer details stay in this browser after wrap-up: 0 to 168, e.g. 0.5 for 30 minutes",
    kind: 'number',
    empty: null,
  },
];

const ORIGIN_LABELS = {
  policy: 'Set by your administrator',
  agent: 'Your setting',
  default: 'Default',
};

/**
 * The options page: effective settings with where each comes from (policy values locked),
 * editing with validation next to each field, a connection test, and clearing local data.
 * @slot - further sections (detection, outbox) that the page adds
 */
export class CcOptions extends LitElement {
  static override styles = [theme, optionsStyles];

  @property({ attribute: false }) api: OptionsApi | undefined;

  @state() private view: SettingsView | null = null;
  @state() private drafts: Partial<Record<ConfigKey, string>> = {};
  @state() private errors: Partial<Record<string, string>> = {};
  @state() private saveStatus: { ok: boolean; text: string } | null = null;
  @state() private saving = false;
  @state() private testIdentity = '';
  @state() private testing = false;
  @state() private report: ConnectionReport | null = null;
  @state() private confirmClear = false;
  @state() private clearStatus: string | null = null;
  @state() private loadError: string | null = null;
  @state() private signInView: SignInView | null = null;
  @state() private signingIn = false;
  @state() private dynamicsMessage: { ok: boolean; message: string } | null = null;
  private unsubscribe: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsubscribe = this.api?.onSettingsChanged(() => void this.load());
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  private async load(): Promise<void> {
    if (!this.api) return;
    try {
      this.view = await this.api.getSettings();
      this.signInView = await this.api.getSignInStatus();
      this.loadError = null;
    } catch {
      this.loadError = 'Could not read the settings. Reload this page to try again.';
    }
  }

  override render() {
    if (this.loadError) return html`<p class="notice error" role="alert">${this.loadError}</p>`;
    const view = this.view;
    if (!view) return html`<p aria-busy="true">Loading settings…</p>`;
    const policyProblems = view.problems.filter((p) => p.origin === 'policy');
    return html`
      <h1>Caller Context settings</h1>
      <p class="lead">Settings your administrator sets by policy are locked here.</p>
      ${policyProblems.map(
        (p) =>
          html`<p class="notice error" role="alert">
            The policy's value for <strong>${p.key}</strong> is not valid (${p.message}); it is
            ignored.
          </p>`,
      )}
      <form @submit=${this.onSave} novalidate>
        <section aria-labelledby="gateway-title">
          <h2 id="gateway-title">Gateway</h2>
          ${GATEWAY_FIELDS.map((f) => this.field(f, view))}
        </section>
        <section aria-labelledby="calls-title">
          <h2 id="calls-title">Calls</h2>
          ${CALL_FIELDS.map((f) => this.field(f, view))}
        </section>
        <div class="row" style="margin-top:12px">
          <button type="submit" ?disabled=${this.saving}>${this.saving ? 'Saving…' : 'Save'}</button>
          ${
            this.saveStatus
              ? html`<span role="status" class=${this.saveStatus.ok ? 'ok-text' : 'error-text'}
                >${this.saveStatus.text}</span
              >`
              : nothing
          }
        </div>
      </form>
      ${this.signInSection()} ${this.dynamicsSection()} ${this.testSection()} <slot></slot> ${this.dataSection()}
    `;
  }

  private field(spec: FieldSpec, view: SettingsView): TemplateResult {
    const origin = view.origins[spec.key];
    const locked = origin === 'policy';
    const id = `field-${spec.key}`;
    const error = this.errors[spec.key];
    const value = this.drafts[spec.key] ?? toText(view.config[spec.key], spec.kind);
    const described = `${id}-hint ${id}-origin${error ? ` ${id}-error` : ''}`;
    const onInput = (e: Event) => {
      const target = e.target as HTMLInputElement | HTMLTextAreaElement;
      this.drafts = { ...this.drafts, [spec.key]: target.value };
    };
    const control =
      spec.kind === 'checkbox'
        ? html`<input
            id=${id}
            type="checkbox"
            .checked=${value === 'true'}
            ?disabled=${locked}
            aria-describedby=${described}
            @change=${(e: Event) => {
              const checked = (e.target as HTMLInputElement).checked;
              this.drafts = { ...this.drafts, [spec.key]: String(checked) };
            }}
          />`
        : spec.kind === 'lines' || spec.kind === 'json'
          ? html`<textarea
            id=${id}
            .value=${value}
            ?disabled=${locked}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${described}
            @input=${onInput}
          ></textarea>`
          : html`<input
            id=${id}
            type=${spec.kind === 'password' ? 'password' : 'text'}
            inputmode=${spec.kind === 'number' ? 'decimal' : nothing}
            autocomplete="off"
            .value=${value}
            ?disabled=${locked}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${described}
            @input=${onInput}
          />`;
    return html`<div class="field">
      <label for=${id}>${spec.label}</label>
      ${control}
      <span id="${id}-hint" class="hint">${spec.hint}</span>
      <span id="${id}-origin" class="origin ${origin}">${ORIGIN_LABELS[origin]}</span>
      ${error ? html`<span id="${id}-error" class="error">${spec.label} ${error}</span>` : nothing}
      ${
        origin === 'agent'
          ? html`<div>
            <button type="button" class="secondary" @click=${() => this.resetKey(spec.key)}>
              Use the default ${spec.label.toLowerCase()}
            </button>
          </div>`
          : nothing
      }
    </div>`;
  }

  private async onSave(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.api || !this.view) return;
    const patch: Partial<Record<ConfigKey, unknown>> = {};
    const errors: Record<string, string> = {};
    for (const spec of [...GATEWAY_FIELDS, ...CALL_FIELDS]) {
      const draft = this.drafts[spec.key];
      if (draft === undefined || this.view.origins[spec.key] === 'policy') continue;
      const parsed =
        draft.trim() === '' && 'empty' in spec ? spec.empty : fromText(draft, spec.kind);
      if (parsed instanceof Error) errors[spec.key] = parsed.message;
      else patch[spec.key] = parsed;
    }
    this.errors = errors;
    if (Object.keys(errors).length > 0) {
      this.saveStatus = { ok: false, text: 'Not saved: fix the fields marked in red.' };
      return;
    }
    if (Object.keys(patch).length === 0) {
      this.saveStatus = { ok: true, text: 'Nothing to save.' };
      return;
    }
    await this.save(patch);
  }

  private async resetKey(key: ConfigKey): Promise<void> {
    const { [key]: _dropped, ...rest } = this.drafts;
    this.drafts = rest;
    await this.save({ [key]: null });
  }

  private async save(patch: Partial<Record<ConfigKey, unknown>>): Promise<void> {
    if (!this.api) return;
    this.saving = true;
    try {
      const result = await this.api.saveSettings(patch);
      if (result.saved) {
        this.drafts = {};
        this.errors = {};
        this.saveStatus = { ok: true, text: 'Saved.' };
        await this.load();
      } else {
        this.errors = Object.fromEntries(result.problems.map((p) => [p.key, p.message]));
        this.saveStatus = { ok: false, text: 'Not saved: fix the fields marked in red.' };
      }
    } catch {
      this.saveStatus = { ok: false, text: 'Not saved: Caller Context did not answer. Try again.' };
    } finally {
      this.saving = false;
    }
  }

  private dynamicsSection(): TemplateResult | typeof nothing {
    if (!this.view?.config.dynamicsDirect) return nothing;
    const run = async () => {
      this.signingIn = true;
      try {
        this.dynamicsMessage = (await this.api?.signInDynamics()) ?? null;
      } catch {
        this.dynamicsMessage = { ok: false, message: 'Caller Context did not answer. Try again.' };
      } finally {
        this.signingIn = false;
      }
    };
    return html`<section aria-labelledby="dynamics-title">
      <h2 id="dynamics-title">Dynamics 365</h2>
      <p class="lead">
        Contacts and cases from ${this.view.config.dynamicsDirect.orgUrl}, read with your own
        Microsoft sign-in.
      </p>
      <div class="row" aria-live="polite">
        <button type="button" ?disabled=${this.signingIn} @click=${run}>Sign in to Dynamics 365</button>
        ${
          this.dynamicsMessage
            ? html`<span role="status" class=${this.dynamicsMessage.ok ? 'ok-text' : 'error-text'}
              >${this.dynamicsMessage.message}</span
            >`
            : nothing
        }
      </div>
    </section>`;
  }

  private signInSection(): TemplateResult | typeof nothing {
    const view = this.signInView;
    if (!view?.required) return nothing;
    const run = async (action: () => Promise<SignInView>) => {
      this.signingIn = true;
      try {
        this.signInView = await action();
      } catch {
        this.signInView = { ...view, error: 'Caller Context did not answer. Try again.' };
      } finally {
        this.signingIn = false;
      }
    };
    return html`<section aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign-in</h2>
      <div class="row" aria-live="polite">
        <span data-signed-in=${view.signedIn ? 'yes' : 'no'}
          >${
            view.signedIn
              ? `Signed in${view.user ? ` as ${view.user}` : ''}.`
              : 'You are not signed in: calls cannot be looked up.'
          }</span
        >
        ${
          view.signedIn
            ? html`<button type="button" class="secondary" ?disabled=${this.signingIn} @click=${() => run(() => this.api?.signOut() ?? Promise.resolve(view))}>
              Sign out
            </button>`
            : html`<button type="button" ?disabled=${this.signingIn} @click=${() => run(() => this.api?.signIn() ?? Promise.resolve(view))}>
              ${this.signingIn ? 'Signing in…' : 'Sign in'}
            </button>`
        }
      </div>
      ${view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : nothing}
    </section>`;
  }

  private testSection(): TemplateResult {
    const report = this.report;
    return html`<section aria-labelledby="test-title">
      <h2 id="test-title">Test connection</h2>
      <p class="lead">Looks up a customer through the gateway with these settings, as a call would.</p>
      <form class="row" @submit=${this.onTest} novalidate>
        <label for="test-identity">Test identity</label>
        <input
          id="test-identity"
          placeholder="phone:+442079460123"
          .value=${this.testIdentity}
          @input=${(e: Event) => {
            this.testIdentity = (e.target as HTMLInputElement).value;
          }}
        />
        <button type="submit" ?disabled=${this.testing}>
          ${this.testing ? 'Testing…' : 'Test connection'}
        </button>
      </form>
      <div aria-live="polite">
        ${
          report
            ? html`<div class="notice ${report.ok ? 'ok' : 'error'}" data-test-result=${report.ok ? 'ok' : 'failed'}>
              <div>${report.message}</div>
              ${
                report.sources.length > 0
                  ? html`<ul class="sources">
                    ${report.sources.map(
                      (s) =>
                        html`<li class=${s.ok ? 'ok-text' : 'error-text'}>
                          <strong>${s.source}</strong>: ${s.message}
                        </li>`,
                    )}
                  </ul>`
                  : nothing
              }
            </div>`
            : nothing
        }
      </div>
    </section>`;
  }

  private async onTest(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.api) return;
    this.testing = true;
    this.report = null;
    try {
      this.report = await this.api.testConnection(
        this.testIdentity.trim() || 'phone:+442079460123',
      );
    } catch {
      this.report = {
        ok: false,
        message: 'Caller Context did not answer. Try again.',
        sources: [],
        ms: 0,
      };
    } finally {
      this.testing = false;
    }
  }

  private dataSection(): TemplateResult {
    return html`<section aria-labelledby="data-title">
      <h2 id="data-title">Your data</h2>
      <p class="lead">
        Calls and customer details this browser keeps. After-call events still on their way to
        the platform are kept until delivered.
      </p>
      <div class="row">
        ${
          this.confirmClear
            ? html`<span>Delete the calls and customer details stored in this browser?</span>
              <button type="button" class="danger" @click=${this.onClear}>Delete</button>
              <button type="button" class="secondary" @click=${() => {
                this.confirmClear = false;
              }}>Cancel</button>`
            : html`<button type="button" class="secondary" @click=${() => {
                this.confirmClear = true;
                this.clearStatus = null;
              }}>Clear my local data</button>`
        }
        ${this.clearStatus ? html`<span role="status">${this.clearStatus}</span>` : nothing}
      </div>
    </section>`;
  }

  private async onClear(): Promise<void> {
    if (!this.api) return;
    this.confirmClear = false;
    try {
      await this.api.clearLocalData();
      this.clearStatus = 'Your local data was deleted.';
    } catch {
      this.clearStatus = 'Could not delete the data. Try again.';
    }
  }
}

function toText(value: ExtensionConfig[ConfigKey], kind: Kind): string {
  if (value === undefined) return '';
  if (kind === 'lines' && Array.isArray(value)) return value.join('\n');
  if (kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

function fromText(text: string, kind: Kind): unknown {
  if (kind === 'checkbox') return text === 'true';
  if (kind === 'number') {
    // The agent may type a decimal comma, as their language writes it.
    const number = Number(text.trim().replace(',', '.'));
    return text.trim() === '' || Number.isNaN(number) ? new Error('is not a number') : number;
  }
  if (kind === 'lines')
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  if (kind === 'json') {
    try {
      return JSON.parse(text.trim() || '[]');
    } catch {
      return new Error('is not valid JSON');
    }
  }
  return text.trim();
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-options': CcOptions;
  }
}
