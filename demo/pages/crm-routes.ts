/**
 * The demo CRM's hash routes, apart from its views so that they can be tested without a page.
 *
 * `#/` (dashboard), `#/cases`, `#/case/<id>`, `#/contacts`, `#/contact/<id>`, `#/lookup/<phone>`,
 * `#/search?q=`, `#/new-case?phone=`. Ids are URL-encoded in the address and decoded here.
 */

export type Route =
  | { name: 'home' }
  | { name: 'cases' }
  | { name: 'case'; id: string }
  | { name: 'contacts' }
  | { name: 'contact'; id: string }
  | { name: 'lookup'; phone: string }
  | { name: 'search'; query: string }
  | { name: 'new-case'; phone: string }
  | { name: 'not-found' };

/** A malformed escape (`%E0%A4%A`) is taken as it stands rather than breaking the whole page. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodePart);
  const [first, second, third] = parts;
  if (!first) return { name: 'home' };
  // A record route takes exactly one id: `#/case/a/b` is no case, not case `a`.
  if (third !== undefined) return { name: 'not-found' };
  if (first === 'cases' && !second) return { name: 'cases' };
  if (first === 'case' && second) return { name: 'case', id: second };
  if (first === 'contacts' && !second) return { name: 'contacts' };
  if (first === 'contact' && second) return { name: 'contact', id: second };
  if (first === 'lookup' && second) return { name: 'lookup', phone: second };
  if (first === 'search')
    return { name: 'search', query: new URLSearchParams(query).get('q') ?? '' };
  if (first === 'new-case' && !second)
    return { name: 'new-case', phone: new URLSearchParams(query).get('phone') ?? '' };
  return { name: 'not-found' };
}

export function contactHref(contact: { id: string }): string {
  return `#/contact/${encodeURIComponent(contact.id)}`;
}

export function caseHref(item: { id: string }): string {
  return `#/case/${encodeURIComponent(item.id)}`;
}

/**
 * The case a `#/case/<key>` route names: by its id, else by its number (`CAS-1042`, any case),
 * since admins may build the link from either (`crmActions.openCase`: `{id}` or `{number}`).
 */
export function findCase<T extends { cases: readonly { id: string; number?: string }[] }>(
  customers: readonly T[],
  key: string,
): { item: T['cases'][number]; customer: T } | undefined {
  const rows = customers.flatMap((customer) => customer.cases.map((item) => ({ item, customer })));
  const wanted = key.trim().toLowerCase();
  return (
    rows.find((row) => row.item.id === key) ??
    rows.find((row) => wanted !== '' && row.item.number?.toLowerCase() === wanted)
  );
}
