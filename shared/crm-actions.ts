import { isSecureOrLoopback } from './secure-url';
/**
 * Links into the agent's CRM, as URL templates an admin sets (config key `crmActions`): the
 * sidebar offers an action only when its template is set. Placeholders are URL-encoded:
 * `{phone}` (E.164), `{id}` (a contact's or case's id in the CRM), `{number}` (a case number).
 */
export interface CrmActions {
  /** Search the CRM for the caller's number, e.g. `https://crm.example.com/search?q={phone}`. */
  search?: string;
  /** Create a contact with the caller's number, e.g. `https://crm.example.com/contacts/new?phone={phone}`. */
  createContact?: string;
  /** Open a new case for the caller's number, e.g. `https://crm.example.com/cases/new?phone={phone}`. */
  createCase?: string;
  /** A contact's record by its id, e.g. `https://crm.example.com/#/contact/{id}`. */
  openContact?: string;
  /** A case by its id or number, for cases whose source gives no link of its own. */
  openCase?: string;
}

const ACTIONS = ['search', 'createContact', 'createCase', 'openContact', 'openCase'] as const;
const PLACEHOLDER = /\{(\w+)\}/g;

/** The action's address with `values` filled in; undefined when unset or a value is missing. */
export function crmActionUrl(
  template: string | undefined,
  values: Record<string, string | undefined>,
): string | undefined {
  if (!template) return undefined;
  let missing = false;
  const url = template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') missing = true;
    return encodeURIComponent(value ?? '');
  });
  return missing ? undefined : url;
}

export function validateCrmActions(value: unknown): CrmActions | Error {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return new Error(
      'must be an object of URL templates, e.g. { "search": "https://crm/?q={phone}" }',
    );
  const actions: CrmActions = {};
  for (const [key, template] of Object.entries(value)) {
    if (!(ACTIONS as readonly string[]).includes(key))
      return new Error(`"${key}" is not an action (${ACTIONS.join(', ')})`);
    if (typeof template !== 'string') return new Error(`"${key}" must be a URL template`);
    let url: URL;
    try {
      url = new URL(template.replace(PLACEHOLDER, 'x'));
    } catch {
      return new Error(`"${key}" is not a URL`);
    }
    if (!isSecureOrLoopback(url))
      return new Error(`"${key}" must use https (plain http only on loopback)`);
    actions[key as (typeof ACTIONS)[number]] = template;
  }
  return actions;
}
