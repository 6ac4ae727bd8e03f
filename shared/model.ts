/**
 * The data model shared by the gateway, the background worker and the sidebar.
 * Field names are a public contract (docs/architecture.md, "CallerContext"): add fields, never rename.
 */

export interface Identity {
  /** `phone`, `email`, or a platform's own namespace. */
  namespace: string;
  /** E.164 for `phone`, lower-cased for `email`. */
  value: string;
}

export interface CallerContext {
  identity: Identity;
  /** 0: unknown caller; more than 1: the agent picks. */
  matches: Match[];
  /** ISO 8601. */
  fetchedAt: string;
  /** A failing source never hides the others. */
  errors: SourceError[];
  /**
   * Web activity collected under the identity itself while no profile matches it, newest first.
   * Only the background fills it, once an anonymous caller gave their verbal permission.
   */
  activity?: ActivityEvent[];
}

export interface SourceError {
  source: string;
  message: string;
}

export interface Match {
  profile: Profile;
  /** Newest first. */
  activity: ActivityEvent[];
  /** Newest first. */
  cases: Case[];
  /**
   * How many web events the background withheld because the customer denied personalisation:
   * the count only, the events never reach the sidebar.
   */
  withheldActivity?: number;
  /**
   * The customer's earlier interactions with the contact centre (calls, emails, chats), newest
   * first, from the sources that keep them and from calls logged in this browser.
   */
  contacts?: ContactEvent[];
  /** How many contacts the background withheld for want of consent: the count only. */
  withheldContacts?: number;
}

export type ConsentState = 'granted' | 'denied' | 'unknown';

export interface Profile {
  id: string;
  source: string;
  displayName?: string;
  firstName?: string;
  lastName?: string;
  emails?: string[];
  phones?: string[];
  /** The customer's own manager. */
  owner?: { id?: string; name: string; email?: string; phone?: string };
  consent?: Record<string, ConsentState>;
  attributes: Record<string, string | number | boolean>;
  updatedAt?: string;
  /** The record in the source's own UI (a CRM contact), for a screen pop. */
  url?: string;
  /** The same person in other sources, when the context service merged matches. */
  alsoIn?: { source: string; id: string }[];
}

export interface ActivityEvent {
  id: string;
  /** ISO 8601. */
  at: string;
  /** page_view, product_view, cart_add, checkout, search, purchase, ... */
  type: string;
  title?: string;
  url?: string;
  value?: number;
  currency?: string;
  source: string;
}

/** How a customer reached the contact centre, or it reached them. */
export type ContactChannel = 'call' | 'email' | 'chat' | 'sms' | 'other';

/** One interaction with the contact centre, as a CRM or customer-data platform keeps it. */
export interface ContactEvent {
  /**
   * The after-call event's id when the platform keeps ours (so one call read from several
   * platforms is one contact), else the platform's own record id.
   */
  id: string;
  /** ISO 8601: when it ended, or when it was recorded. */
  at: string;
  channel: ContactChannel;
  direction?: 'inbound' | 'outbound';
  /** The subject line or the record's title. */
  title?: string;
  /** The wrap-up code's label (the call result). */
  disposition?: string;
  /** The agent's note or the message's summary. */
  note?: string;
  durationSeconds?: number;
  /** The case it was about. */
  caseId?: string;
  /** The record in the source's own UI. */
  url?: string;
  source: string;
  /** Logged in this browser and not yet read back from a platform. */
  local?: boolean;
}

export interface Case {
  id: string;
  title: string;
  number?: string;
  status?: string;
  createdAt?: string;
  url?: string;
}

/** The name an agent should see for a profile. */
export function profileName(profile: Profile): string | undefined {
  if (profile.displayName) return profile.displayName;
  const parts = [profile.firstName, profile.lastName].filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : undefined;
}
