/**
 * The data model shared by the gateway, the background worker and the sidebar.
 * Field names are a public contract (DESIGN.md, "CallerContext"): add fields, never rename.
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
