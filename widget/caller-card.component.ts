import { html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { type Match, profileName } from '../shared/model';
import { callerCardStyles } from './caller-card.styles';
import { money } from './format';
import { english, type MessageKey, type Translator } from './i18n/catalog';
import { theme } from './theme.styles';

/** The name of the User Timing mark set when a caller's name is on screen (the pop benchmark). */
export const CALLER_SHOWN_MARK = 'caller-context:caller-shown';

/**
 * Who is calling: name, tier, key attributes, their own manager and consent.
 */
export class CcCallerCard extends LitElement {
  static override styles = [theme, callerCardStyles];

  @property({ attribute: false }) match: Match | undefined;
  /** The call the caller is on: the same customer calling again is a new caller on screen. */
  @property({ attribute: false }) callId: string | undefined;
  /** The call and profile the last caller-shown mark was for. */
  private shown: string | undefined;
  /** The agent's language and locale. */
  @property({ attribute: false }) translator: Translator = english;

  override render() {
    const { t, locale } = this.translator;
    const profile = this.match?.profile;
    if (!profile) return nothing;
    const a = profile.attributes;
    const ltv = typeof a.lifetimeValue === 'number' ? a.lifetimeValue : undefined;
    const currency = typeof a.currency === 'string' ? a.currency : undefined;
    return html`
      <h2 id="caller-name">${profileName(profile) ?? t('nameMissing')}</h2>
      ${a.tier ? html`<span class="tier">${a.tier}</span>` : nothing}
      <dl>
        ${a.customerSince ? html`<dt>${t('customerSince')}</dt><dd>${a.customerSince}</dd>` : nothing}
        ${
          ltv !== undefined
            ? html`<dt>${t('lifetimeValue')}</dt><dd>${money(ltv, currency, locale)}</dd>`
            : nothing
        }
        ${a.language ? html`<dt>${t('language')}</dt><dd>${a.language}</dd>` : nothing}
        ${a.products ? html`<dt>${t('owns')}</dt><dd>${a.products}</dd>` : nothing}
        ${profile.emails?.[0] ? html`<dt>${t('email')}</dt><dd>${profile.emails[0]}</dd>` : nothing}
      </dl>
      ${
        profile.owner
          ? html`<div class="owner">
            ${t('ownerCustomer', { name: profile.owner.name })}
            ${profile.owner.email ? html`<br /><span>${profile.owner.email}</span>` : nothing}
          </div>`
          : nothing
      }
      ${
        profile.consent
          ? html`<ul class="consent" aria-label=${t('consent')}>
            ${Object.entries(profile.consent).map(
              ([purpose, state]) =>
                html`<li class=${state}>${consentLabel(purpose, t)}: ${consentState(state, t)}</li>`,
            )}
          </ul>`
          : nothing
      }
    `;
  }

  protected override updated(): void {
    // A new caller on screen (another customer, or a new call), not a re-render of the same one
    // as the call moves on.
    const shown = this.match ? `${this.callId ?? ''} ${this.match.profile.id}` : undefined;
    if (!this.match || shown === this.shown) return;
    this.shown = shown;
    performance.mark(CALLER_SHOWN_MARK, { detail: { profile: this.match.profile.id } });
  }
}

function consentLabel(purpose: string, t: Translator['t']): string {
  return purpose === 'personalisation' || purpose === 'marketingEmail'
    ? t(`consent.${purpose}` as MessageKey)
    : purpose;
}

function consentState(state: string, t: Translator['t']): string {
  return state === 'granted' || state === 'denied' || state === 'unknown'
    ? t(`consentState.${state}` as MessageKey)
    : state;
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-caller-card': CcCallerCard;
  }
}
