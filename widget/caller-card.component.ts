import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { type Match, profileName } from '../shared/model';
import { callerCardStyles } from './caller-card.styles';
import { money } from './format';
import { theme } from './theme.styles';

const CONSENT_LABELS: Record<string, string> = {
  personalisation: 'Personalisation',
  marketingEmail: 'Marketing email',
};

/** The name of the User Timing mark set when a caller's name is on screen (the pop benchmark). */
export const CALLER_SHOWN_MARK = 'caller-context:caller-shown';

/**
 * Who is calling: name, tier, key attributes, their own manager and consent.
 */
export class CcCallerCard extends LitElement {
  static override styles = [theme, callerCardStyles];

  @property({ attribute: false }) match: Match | undefined;
  @property() locale: string | undefined;

  override render() {
    const profile = this.match?.profile;
    if (!profile) return nothing;
    const a = profile.attributes;
    const ltv = typeof a.lifetimeValue === 'number' ? a.lifetimeValue : undefined;
    const currency = typeof a.currency === 'string' ? a.currency : undefined;
    return html`
      <h2 id="caller-name">${profileName(profile) ?? 'Name not on file'}</h2>
      ${a.tier ? html`<span class="tier">${a.tier}</span>` : nothing}
      <dl>
        ${a.customerSince ? html`<dt>Customer since</dt><dd>${a.customerSince}</dd>` : nothing}
        ${
          ltv !== undefined
            ? html`<dt>Lifetime value</dt><dd>${money(ltv, currency, this.locale)}</dd>`
            : nothing
        }
        ${a.language ? html`<dt>Language</dt><dd>${a.language}</dd>` : nothing}
        ${a.products ? html`<dt>Owns</dt><dd>${a.products}</dd>` : nothing}
        ${profile.emails?.[0] ? html`<dt>Email</dt><dd>${profile.emails[0]}</dd>` : nothing}
      </dl>
      ${
        profile.owner
          ? html`<div class="owner">
            This is <strong>${profile.owner.name}</strong>'s customer
            ${profile.owner.email ? html`<br /><span>${profile.owner.email}</span>` : nothing}
          </div>`
          : nothing
      }
      ${
        profile.consent
          ? html`<ul class="consent" aria-label="Consent">
            ${Object.entries(profile.consent).map(
              ([purpose, state]) =>
                html`<li class=${state}>${CONSENT_LABELS[purpose] ?? purpose}: ${state}</li>`,
            )}
          </ul>`
          : nothing
      }
    `;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A new caller on screen, not a re-render of the same one as the call moves on.
    const before = changed.get('match') as Match | undefined;
    if (changed.has('match') && this.match && before?.profile.id !== this.match.profile.id)
      performance.mark(CALLER_SHOWN_MARK, { detail: { profile: this.match.profile.id } });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-caller-card': CcCallerCard;
  }
}
