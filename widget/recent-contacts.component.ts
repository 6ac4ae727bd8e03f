import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Case, ContactEvent } from '../shared/model';
import { relativeTime } from './format';
import { english, type MessageKey, type Translator } from './i18n/catalog';
import { crmLink } from './open-in-crm.event';
import { recentContactsStyles } from './recent-contacts.styles';
import { theme } from './theme.styles';

/** One line of the history: an interaction, or a case the customer opened. */
export type HistoryItem =
  | { kind: 'contact'; at: string; contact: ContactEvent }
  | { kind: 'case'; at: string; item: Case };

/** Contacts and cases as one history, newest first; a case without a date has no place in it. */
export function historyOf(
  contacts: readonly ContactEvent[],
  cases: readonly Case[],
): HistoryItem[] {
  const items: HistoryItem[] = [
    ...contacts.map((contact): HistoryItem => ({ kind: 'contact', at: contact.at, contact })),
    ...cases
      .filter((item) => item.createdAt && !Number.isNaN(Date.parse(item.createdAt)))
      .map((item): HistoryItem => ({ kind: 'case', at: item.createdAt as string, item })),
  ];
  return items.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** Lines shown before "Show more": the last few contacts are what an agent reads in a call. */
const SHOWN = 4;

/**
 * The customer's recent contacts with the contact centre, newest first: calls with their result
 * and note, emails, chats and cases, from every source that keeps them and from this browser.
 * Links open the record in the CRM tab.
 * @fires cc-open-in-crm - a record link was followed
 * @csspart list - the list of contacts
 */
export class CcRecentContacts extends LitElement {
  static override styles = [theme, recentContactsStyles];

  @property({ attribute: false }) contacts: ContactEvent[] = [];
  @property({ attribute: false }) cases: Case[] = [];
  /** The customer denied personalisation: the history is withheld (consentMasking `mask`). */
  @property({ type: Boolean }) denied = false;
  /** How many contacts the background withheld for want of consent. */
  @property({ type: Number }) withheld = 0;
  @property({ attribute: false }) now: Date = new Date();
  /** The agent's language and locale. */
  @property({ attribute: false }) translator: Translator = english;

  @state() private expanded = false;

  override render() {
    const { t } = this.translator;
    return html`<section aria-labelledby="recent-contacts-title">
      <h3 id="recent-contacts-title">${t('contacts.title')}</h3>
      ${this.denied ? this.withheldNote() : this.list()}
    </section>`;
  }

  private withheldNote() {
    const { t } = this.translator;
    return html`<p class="withheld">
      ${t('activityWithheld')}
      ${this.withheld > 0 ? t('contacts.withheld', { count: this.withheld }) : nothing}
    </p>`;
  }

  private list() {
    const { t } = this.translator;
    const items = historyOf(this.contacts, this.cases);
    if (items.length === 0) return html`<p class="empty">${t('contacts.empty')}</p>`;
    const shown = this.expanded ? items : items.slice(0, SHOWN);
    const more = items.length - SHOWN;
    return html`<ol part="list" aria-labelledby="recent-contacts-title">
        ${shown.map((item) => (item.kind === 'contact' ? this.contact(item.contact) : this.case(item.item)))}
      </ol>
      ${
        more > 0
          ? html`<button
              type="button"
              aria-expanded=${this.expanded ? 'true' : 'false'}
              @click=${() => {
                this.expanded = !this.expanded;
              }}
            >
              ${this.expanded ? t('contacts.less') : t('contacts.more', { count: more })}
            </button>`
          : nothing
      }`;
  }

  private contact(contact: ContactEvent) {
    const { t } = this.translator;
    const label =
      contact.channel === 'call' && contact.direction
        ? t(`channel.call.${contact.direction}`)
        : t(`channel.${contact.channel}` as MessageKey);
    // A call's subject repeats its result; other channels are known by their subject.
    const what =
      contact.channel === 'call' || !contact.title ? label : `${label}: ${contact.title}`;
    const meta = [
      contact.disposition ? html`<span class="result">${contact.disposition}</span>` : undefined,
      contact.durationSeconds ? this.duration(contact.durationSeconds) : undefined,
    ].filter((part) => part !== undefined);
    return html`<li>
      <span class="what">${contact.url ? crmLink(this, contact.url, what) : what}</span>
      ${this.time(contact.at)}
      ${meta.length > 0 ? html`<span class="meta">${joined(meta)}</span>` : nothing}
      ${contact.note ? html`<p class="note">${contact.note}</p>` : nothing}
      ${contact.local ? html`<span class="local">${t('contacts.local')}</span>` : nothing}
    </li>`;
  }

  private case(item: Case) {
    const { t } = this.translator;
    const title = `${item.number ? `${item.number}: ` : ''}${item.title}`;
    return html`<li>
      <span class="what">${t('channel.case')}: ${item.url ? crmLink(this, item.url, title) : title}</span>
      ${this.time(item.createdAt ?? '')}
      ${item.status ? html`<span class="meta">${item.status}</span>` : nothing}
    </li>`;
  }

  private time(at: string) {
    const { locale } = this.translator;
    return html`<time datetime=${at} title=${new Date(at).toLocaleString(locale)}
      >${relativeTime(at, this.now, locale)}</time
    >`;
  }

  private duration(seconds: number): string {
    const { locale } = this.translator;
    const [value, unit] =
      seconds >= 60 ? [Math.round(seconds / 60), 'minute'] : [seconds, 'second'];
    return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(
      value,
    );
  }
}

function joined(parts: unknown[]) {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [' · ', part]));
}

declare global {
  interface HTMLElementTagNameMap {
    'cc-recent-contacts': CcRecentContacts;
  }
}
