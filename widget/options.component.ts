import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ConfigKey, ExtensionConfig } from '../shared/config';
import type {
  ConnectionReport,
  SaveSettingsResult,
  SettingsView,
  SignInView,
} from '../shared/protocol';
import { english, type Translator } from './i18n/catalog';
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

/** The settings the page edits (the others, such as dispositions, are set by policy). */
type FieldKey = Extract<
  ConfigKey,
  | 'gatewayUrl'
  | 'gatewayToken'
  | 'oidc'
  | 'defaultRegion'
  | 'crmMatches'
  | 'detectionRules'
  | 'requireVerbalConsent'
  | 'callDataRetentionHours'
>;

/** A setting's field; its label and hint are `options.field.<key>` and `options.hint.<key>`. */
interface FieldSpec {
  key: FieldKey;
  kind: Kind;
  /** What an emptied field saves: `null` resets the key to its default. */
  empty?: unknown;
}

const GATEWAY_FIELDS: FieldSpec[] = [
  {
    key: 'gatewayUrl',
    kind: 'text',
  },
  {
    key: 'gatewayToken',
    kind: 'password',
  },
  {
    key: 'oidc',
    kind: 'json',
    empty: null,
  },
];
const CALL_FIELDS: FieldSpec[] = [
  {
    key: 'defaultRegion',
    kind: 'text',
  },
  {
    key: 'crmMatches',
    kind: 'lines',
  },
  {
    key: 'detectionRules',
    kind: 'json',
  },
  {
    key: 'requireVerbalConsent',
    kind: 'checkbox',
  },
  {
    key: 'callDataRetentionHours',
    kind: 'number',
    empty: null,
  },
];

/**
 * The options page: effective settings with where each comes from (policy values locked),
 * editing with validation next to each field, a connection test, and clearing local data.
 * @slot - further sections (detection, outbox) that the page adds
 */
export class CcOptions extends LitElement {
  static override styles = [theme, optionsStyles];

  @property({ attribute: false }) api: OptionsApi | undefined;
  /** The agent's language (the page picks it from the browser's). */
  @property({ attribute: false }) translator: Translator = english;

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
      this.loadError = this.translator.t('options.loadFailed');
    }
  }

  override render() {
    const { t } = this.translator;
    if (this.loadError) return html`<p class="notice error" role="alert">${this.loadError}</p>`;
    const view = this.view;
    if (!view) return html`<p aria-busy="true">${t('options.loading')}</p>`;
    const policyProblems = view.problems.filter((p) => p.origin === 'policy');
    return html`
      <h1>${t('options.title')}</h1>
      <p class="lead">${t('options.lead')}</p>
      ${policyProblems.map(
        (p) =>
          // The key is the policy's own name; the message is the validation's (English) text.
          html`<p class="notice error" role="alert">
            ${t('options.policyProblem', { key: p.key, message: p.message })}
          </p>`,
      )}
      <form @submit=${this.onSave} novalidate>
        <section aria-labelledby="gateway-title">
          <h2 id="gateway-title">${t('options.gateway')}</h2>
          ${GATEWAY_FIELDS.map((f) => this.field(f, view))}
        </section>
        <section aria-labelledby="calls-title">
          <h2 id="calls-title">${t('options.calls')}</h2>
          ${CALL_FIELDS.map((f) => this.field(f, view))}
        </section>
        <div class="row" style="margin-top:12px">
          <button type="submit" ?disabled=${this.saving}>${this.saving ? t('options.saving') : t('options.save')}</button>
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
    const { t } = this.translator;
    const label = t(`options.field.${spec.key}`);
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
      <label for=${id}>${label}</label>
      ${control}
      <span id="${id}-hint" class="hint">${t(`options.hint.${spec.key}`)}</span>
      <span id="${id}-origin" class="origin ${origin}">${t(`options.origin.${origin}`)}</span>
      ${error ? html`<span id="${id}-error" class="error">${label} ${error}</span>` : nothing}
      ${
        origin === 'agent'
          ? html`<div>
            <button type="button" class="secondary" @click=${() => this.resetKey(spec.key)}>
              ${t('options.useDefault', { setting: label })}
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
      if (parsed instanceof InputProblem) errors[spec.key] = this.translator.t(parsed.key);
      else if (parsed instanceof Error) errors[spec.key] = parsed.message;
      else patch[spec.key] = parsed;
    }
    this.errors = errors;
    if (Object.keys(errors).length > 0) {
      this.saveStatus = { ok: false, text: this.translator.t('options.fixFields') };
      return;
    }
    if (Object.keys(patch).length === 0) {
      this.saveStatus = { ok: true, text: this.translator.t('options.nothingToSave') };
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
        this.saveStatus = { ok: true, text: this.translator.t('options.saved') };
        await this.load();
      } else {
        this.errors = Object.fromEntries(result.problems.map((p) => [p.key, p.message]));
        this.saveStatus = { ok: false, text: this.translator.t('options.fixFields') };
      }
    } catch {
      this.saveStatus = { ok: false, text: this.translator.t('options.notSavedNoAnswer') };
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
        this.dynamicsMessage = { ok: false, message: this.translator.t('options.noAnswer') };
      } finally {
        this.signingIn = false;
      }
    };
    return html`<section aria-labelledby="dynamics-title">
      <h2 id="dynamics-title">Dynamics 365</h2>
      <p class="lead">
        ${this.translator.t('options.dynamics.lead', { url: this.view.config.dynamicsDirect.orgUrl })}
      </p>
      <div class="row" aria-live="polite">
        <button type="button" ?disabled=${this.signingIn} @click=${run}>${this.translator.t('options.dynamics.signIn')}</button>
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
        this.signInView = { ...view, error: this.translator.t('options.noAnswer') };
      } finally {
        this.signingIn = false;
      }
    };
    const { t } = this.translator;
    return html`<section aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">${t('options.signIn.title')}</h2>
      <div class="row" aria-live="polite">
        <span data-signed-in=${view.signedIn ? 'yes' : 'no'}
          >${
            view.signedIn
              ? view.user
                ? t('options.signIn.as', { user: view.user })
                : t('options.signIn.done')
              : t('options.signIn.missing')
          }</span
        >
        ${
          view.signedIn
            ? html`<button type="button" class="secondary" ?disabled=${this.signingIn} @click=${() => run(() => this.api?.signOut() ?? Promise.resolve(view))}>
              ${t('options.signIn.signOut')}
            </button>`
            : html`<button type="button" ?disabled=${this.signingIn} @click=${() => run(() => this.api?.signIn() ?? Promise.resolve(view))}>
              ${this.signingIn ? t('options.signIn.signingIn') : t('options.signIn.signIn')}
            </button>`
        }
      </div>
      ${view.error ? html`<p class="notice error" role="alert">${view.error}</p>` : nothing}
    </section>`;
  }

  private testSection(): TemplateResult {
    const report = this.report;
    const { t } = this.translator;
    return html`<section aria-labelledby="test-title">
      <h2 id="test-title">${t('options.test.title')}</h2>
      <p class="lead">${t('options.test.lead')}</p>
      <form class="row" @submit=${this.onTest} novalidate>
        <label for="test-identity">${t('options.test.identity')}</label>
        <input
          id="test-identity"
          placeholder="phone:+442079460123"
          .value=${this.testIdentity}
          @input=${(e: Event) => {
            this.testIdentity = (e.target as HTMLInputElement).value;
          }}
        />
        <button type="submit" ?disabled=${this.testing}>
          ${this.testing ? t('options.test.running') : t('options.test.run')}
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
        message: this.translator.t('options.noAnswer'),
        sources: [],
        ms: 0,
      };
    } finally {
      this.testing = false;
    }
  }

  private dataSection(): TemplateResult {
    const { t } = this.translator;
    return html`<section aria-labelledby="data-title">
      <h2 id="data-title">${t('options.data.title')}</h2>
      <p class="lead">${t('options.data.lead')}</p>
      <div class="row">
        ${
          this.confirmClear
            ? html`<span>${t('options.data.confirm')}</span>
              <button type="button" class="danger" @click=${this.onClear}>${t('options.data.delete')}</button>
              <button type="button" class="secondary" @click=${() => {
                this.confirmClear = false;
              }}>${t('options.data.cancel')}</button>`
            : html`<button type="button" class="secondary" @click=${() => {
                this.confirmClear = true;
                this.clearStatus = null;
              }}>${t('options.data.clear')}</button>`
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
      this.clearStatus = this.translator.t('options.data.cleared');
    } catch {
      this.clearStatus = this.translator.t('options.data.clearFailed');
    }
  }
}

function toText(value: ExtensionConfig[ConfigKey], kind: Kind): string {
  if (value === undefined) return '';
  if (kind === 'lines' && Array.isArray(value)) return value.join('\n');
  if (kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

/** What the agent typed cannot be read as its field's kind; `key` words it. */
class InputProblem extends Error {
  constructor(readonly key: 'options.notJson' | 'options.notNumber') {
    super(key);
  }
}

function fromText(text: string, kind: Kind): unknown {
  if (kind === 'checkbox') return text === 'true';
  if (kind === 'number') {
    // The agent may type a decimal comma, as their language writes it.
    const number = Number(text.trim().replace(',', '.'));
    return text.trim() === '' || Number.isNaN(number)
      ? new InputProblem('options.notNumber')
      : number;
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
      return new InputProblem('options.notJson');
    }
  }
  return text.trim();
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-options': CcOptions;
  }
}
