/**
 * Northwind CRM: a stand-in for the agent's service CRM, where the extension mounts its sidebar.
 *
 * Hash routes (crm-routes.ts): `#/` (dashboard), `#/cases`, `#/case/<id>`, `#/contacts`,
 * `#/contact/<id>`, `#/lookup/<phone>`, `#/search?q=`. A screen-pop URL, `/crm?phone=<E.164>`,
 * opens the matching contact (or the list of matches). The extension's sidebar docks on the right by narrowing the page, as it does in
 * any CRM, so this page keeps no room of its own for it.
 */
import { html, nothing, render, svg, type TemplateResult } from 'lit';
import { caseHref, contactHref, findCase, parseRoute, type Route } from './crm-routes';
import { startTheme, themeToggle } from './crm-theme';
import { type DemoCase, type DemoCustomer, initials, loadDemoConfig } from './demo-config';

interface CaseRow extends DemoCase {
  customer: DemoCustomer;
}

interface State {
  customers: DemoCustomer[] | undefined;
  error: string | undefined;
  /** The number of the screen pop that opened this tab, shown on the record it opened. */
  screenPop: { phone: string; contactId?: string } | undefined;
}

const state: State = { customers: undefined, error: undefined, screenPop: undefined };

// ---------------------------------------------------------------------------------------------
// Routing

function digits(phone: string): string {
  return phone.replace(/\D/g, '');
}

function contactsWithPhone(phone: string): DemoCustomer[] {
  const wanted = digits(phone);
  if (!wanted) return [];
  return (state.customers ?? []).filter((customer) => digits(customer.phone) === wanted);
}

/**
 * `?phone=` screen pop: one match opens the contact, several or none open the lookup page.
 * The parameter is dropped from the address, so reloading the record does not pop again.
 * (`+` in a query string reads as a space, hence the digit-only comparison.)
 */
function applyScreenPop(): void {
  const url = new URL(window.location.href);
  const phone = url.searchParams.get('phone');
  if (phone === null) return;
  const cleaned = phone.trim();
  const e164 = cleaned.startsWith('+') ? cleaned : `+${cleaned}`;
  const matches = contactsWithPhone(cleaned);
  const only = matches.length === 1 ? matches[0] : undefined;
  state.screenPop = { phone: e164, contactId: only?.id };
  url.searchParams.delete('phone');
  url.hash = only ? contactHref(only) : `#/lookup/${encodeURIComponent(e164)}`;
  history.replaceState(null, '', url);
}

// ---------------------------------------------------------------------------------------------
// Formatting

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

function formatDate(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

function statusKind(status: string | undefined): 'open' | 'waiting' | 'resolved' | 'other' {
  const text = (status ?? '').toLowerCase();
  if (text.startsWith('open') || text === 'new' || text === 'in progress') return 'open';
  if (text.startsWith('waiting') || text === 'on hold') return 'waiting';
  if (text.startsWith('resolved') || text.startsWith('closed')) return 'resolved';
  return 'other';
}

function isOpen(row: DemoCase): boolean {
  return statusKind(row.status) !== 'resolved';
}

function allCases(customers: DemoCustomer[]): CaseRow[] {
  return customers
    .flatMap((customer) => customer.cases.map((item) => ({ ...item, customer })))
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

// ---------------------------------------------------------------------------------------------
// Icons (inline, decorative)

const icon = (body: TemplateResult<2>) =>
  html`<svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none"
    stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;

const icons = {
  home: icon(
    svg`<path d="M4 10.5 12 4l8 6.5V19a1 1 0 0 1-1 1h-4.5v-5.5h-5V20H5a1 1 0 0 1-1-1z" />`,
  ),
  cases: icon(
    svg`<rect x="3.5" y="7" width="17" height="12.5" rx="2" /><path d="M9 7V5.5A1.5 1.5 0 0 1 10.5 4h3A1.5 1.5 0 0 1 15 5.5V7M3.5 12.5h17" />`,
  ),
  contacts: icon(
    svg`<circle cx="9" cy="8.5" r="3.5" /><path d="M3 19.5c.6-3.2 3-5 6-5s5.4 1.8 6 5" /><path d="M15.5 5.2a3.5 3.5 0 0 1 0 6.6M18 14.8c1.6.8 2.6 2.4 3 4.7" />`,
  ),
  search: icon(svg`<circle cx="11" cy="11" r="6.5" /><path d="m20 20-4.2-4.2" />`),
  phone: icon(
    svg`<path d="M8.6 4.8c.5 0 .9.3 1 .8l.8 2.6c.1.4 0 .9-.3 1.2l-1.2 1a9.8 9.8 0 0 0 4.7 4.7l1-1.2c.3-.3.8-.4 1.2-.3l2.6.8c.5.1.8.5.8 1v2.2c0 .7-.6 1.3-1.3 1.3A13.4 13.4 0 0 1 4.6 6.1c0-.7.6-1.3 1.3-1.3z" />`,
  ),
  mail: icon(svg`<rect x="3.5" y="5.5" width="17" height="13" rx="2" /><path d="m4 7 8 6 8-6" />`),
  bell: icon(svg`<path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15zM10 20.5a2 2 0 0 0 4 0" />`),
  help: icon(
    svg`<circle cx="12" cy="12" r="8.5" /><path d="M9.8 9.5a2.3 2.3 0 0 1 4.4.8c0 1.6-2.2 2-2.2 3.4M12 17h.01" />`,
  ),
};

const logo = html`<svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
  <rect width="32" height="32" rx="8" fill="#5eead4" />
  <path d="M9 23V9h2.6l7.2 9.6V9H23v14h-2.6l-7.2-9.6V23z" fill="#042f2e" />
</svg>`;

// ---------------------------------------------------------------------------------------------
// Views

function statusBadge(status: string | undefined) {
  return html`<span class="badge" data-kind=${statusKind(status)}>${status ?? 'Unknown'}</span>`;
}

function pageHeader(title: string, subtitle?: string, actions?: TemplateResult) {
  return html`<div class="page-header">
    <div>
      <h1 tabindex="-1">${title}</h1>
      ${subtitle ? html`<p class="page-subtitle">${subtitle}</p>` : nothing}
    </div>
    ${actions ?? nothing}
  </div>`;
}

function casesTable(rows: CaseRow[], emptyText: string) {
  if (rows.length === 0) return html`<p class="empty">${emptyText}</p>`;
  return html`<div class="table-wrap">
    <table>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Subject and contact</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (row) => html`<tr>
            <td class="mono nowrap">${row.number ?? row.id}</td>
            <td class="subject">
              <span class="name-lines">
                <a class="row-link" href=${caseHref(row)}>${row.title}</a>
                <a class="row-link secondary-link" href=${contactHref(row.customer)}>${row.customer.name}</a>
              </span>
            </td>
            <td>${statusBadge(row.status)}</td>
            <td class="nowrap">${formatDate(row.createdAt)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function contactsTable(customers: DemoCustomer[], emptyText: string) {
  if (customers.length === 0) return html`<p class="empty">${emptyText}</p>`;
  return html`<div class="table-wrap">
    <table>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Phone</th>
          <th scope="col" class="num">Open cases</th>
        </tr>
      </thead>
      <tbody>
        ${customers.map(
          (customer) => html`<tr>
            <td>
              <span class="name-cell">
                <span class="avatar small" aria-hidden="true">${initials(customer.name)}</span>
                <span class="name-lines">
                  <a class="row-link" href=${contactHref(customer)}>${customer.name}</a>
                  <span class="secondary">${customer.email}</span>
                </span>
              </span>
            </td>
            <td class="nowrap tabular">${customer.phoneDisplay}</td>
            <td class="num">${customer.cases.filter(isOpen).length}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function card(title: string, body: TemplateResult, extra?: TemplateResult | string) {
  return html`<section class="card">
    <header class="card-header">
      <h2>${title}</h2>
      ${extra ? html`<span class="card-extra">${extra}</span>` : nothing}
    </header>
    ${body}
  </section>`;
}

function homeView(customers: DemoCustomer[]) {
  const cases = allCases(customers);
  const open = cases.filter(isOpen);
  const waiting = cases.filter((row) => statusKind(row.status) === 'waiting');
  const stats: [string, number][] = [
    ['Open cases', open.length],
    ['Waiting on customer', waiting.length],
    ['Resolved', cases.length - open.length],
    ['Contacts', customers.length],
  ];
  const today = new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(new Date());
  return html`${pageHeader('Service dashboard', `Customer Care queue · ${today}`)}
    <ul role="list" class="stats">
      ${stats.map(
        ([label, value]) => html`<li class="stat">
          <span class="stat-value tabular">${value}</span><span class="stat-label">${label}</span>
        </li>`,
      )}
    </ul>
    ${card('My open cases', casesTable(open, 'No open cases. Nice work.'), `${open.length}`)}
    ${card('Contacts', contactsTable(customers, 'No contacts yet.'), `${customers.length}`)}`;
}

function casesView(customers: DemoCustomer[]) {
  const cases = allCases(customers);
  return html`${pageHeader('Cases', `${cases.length} cases, ${cases.filter(isOpen).length} open`)}
  ${card('All cases', casesTable(cases, 'No cases.'))}`;
}

function contactsView(customers: DemoCustomer[]) {
  return html`${pageHeader('Contacts', `${customers.length} contacts`)}
  ${card('All contacts', contactsTable(customers, 'No contacts.'))}`;
}

function matches(customer: DemoCustomer, query: string): boolean {
  const text = query.trim().toLowerCase();
  if (!text) return false;
  const number = digits(text);
  return (
    customer.name.toLowerCase().includes(text) ||
    customer.email.toLowerCase().includes(text) ||
    (number.length >= 4 && digits(customer.phone).includes(number))
  );
}

function searchView(customers: DemoCustomer[], query: string) {
  const contacts = customers.filter((customer) => matches(customer, query));
  const text = query.trim().toLowerCase();
  const cases = allCases(customers).filter(
    (row) =>
      text !== '' &&
      (row.title.toLowerCase().includes(text) || (row.number ?? '').toLowerCase().includes(text)),
  );
  return html`${pageHeader(`Search: ${query}`, `${contacts.length + cases.length} results`)}
  ${card('Contacts', contactsTable(contacts, 'No contact matches.'), `${contacts.length}`)}
  ${card('Cases', casesTable(cases, 'No case matches.'), `${cases.length}`)}`;
}

function lookupView(customers: DemoCustomer[], phone: string) {
  const found = contactsWithPhone(phone);
  const number = customers.find((customer) => digits(customer.phone) === digits(phone));
  const shown = number?.phoneDisplay ?? phone;
  const title =
    found.length === 0 ? `No contact matches ${shown}` : `${found.length} contacts match ${shown}`;
  return html`${pageHeader(
    title,
    found.length === 0
      ? 'Incoming call from a number that is not in the CRM.'
      : 'Incoming call from a number shared by several contacts. Pick the caller.',
  )}
  ${card(
    'Matching contacts',
    contactsTable(found, 'Search by name or email to find the caller.'),
  )}`;
}

/** Cases opened in this tab from the new-case form; the demo keeps them until the page reloads. */
const createdCases: { number: string; phone: string; title: string }[] = [];

function newCaseView(phone: string) {
  const created = createdCases.filter((item) => item.phone === phone);
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const subject = form.elements.namedItem('subject');
    if (!(subject instanceof HTMLInputElement) || subject.value.trim() === '') {
      if (subject instanceof HTMLInputElement) subject.focus();
      return;
    }
    createdCases.push({
      number: `CAS-${2000 + createdCases.length + 1}`,
      phone,
      title: subject.value.trim(),
    });
    form.reset();
    update();
  };
  return html`${pageHeader('New case', phone ? `For a call from ${phone}` : undefined)}
    ${card(
      'Case details',
      html`<form class="case-form" @submit=${onSubmit}>
        <label for="case-phone">Caller's number</label>
        <input id="case-phone" name="phone" type="tel" readonly .value=${phone} />
        <label for="case-subject">Subject</label>
        <input id="case-subject" name="subject" type="text" required autocomplete="off" />
        <div><button class="button" type="submit">Create case</button></div>
      </form>`,
    )}
    ${
      created.length > 0
        ? html`<p class="screen-pop" role="status">
            Created ${created.map((item) => `${item.number}: ${item.title}`).join(', ')}
            (the demo CRM keeps it until this page reloads).
          </p>`
        : nothing
    }`;
}

function contactView(customer: DemoCustomer) {
  const open = customer.cases.filter(isOpen);
  const popped =
    state.screenPop?.contactId === customer.id
      ? html`<p class="screen-pop" role="status">
          ${icons.phone}<span>Opened by an incoming call from
            <strong class="tabular">${customer.phoneDisplay}</strong></span>
        </p>`
      : nothing;
  return html`<nav class="breadcrumb" aria-label="Breadcrumb">
      <a href="#/contacts">Contacts</a><span aria-hidden="true">/</span
      ><span aria-current="page">${customer.name}</span>
    </nav>
    ${popped}
    <article class="record" data-record-type="contact" data-record-id=${customer.id}>
      <header class="record-header">
        <span class="avatar large" aria-hidden="true">${initials(customer.name)}</span>
        <div class="record-title">
          <h1 tabindex="-1">${customer.name}</h1>
          <p class="page-subtitle">Contact · ${customer.id}</p>
        </div>
        <div class="record-actions">
          <a class="button" href=${`tel:${customer.phone}`}>${icons.phone}Call</a>
          <a class="button secondary" href=${`mailto:${customer.email}`}>${icons.mail}Email</a>
        </div>
      </header>
      <div class="record-grid">
        ${card(
          'Contact details',
          html`<dl class="details">
            <div><dt>Full name</dt><dd>${customer.name}</dd></div>
            <div><dt>Email</dt><dd><a href=${`mailto:${customer.email}`}>${customer.email}</a></dd></div>
            <div><dt>Mobile phone</dt><dd class="tabular">${customer.phoneDisplay}</dd></div>
            <div><dt>Customer ID</dt><dd class="mono">${customer.id}</dd></div>
            <div><dt>Open cases</dt><dd>${open.length}</dd></div>
          </dl>`,
        )}
        ${card(
          'Cases',
          customer.cases.length === 0
            ? html`<p class="empty">No cases for this contact.</p>`
            : html`<ul role="list" class="case-list">
                ${customer.cases.map(
                  (item) => html`<li>
                    <div class="case-line">
                      <span class="mono">${item.number ?? item.id}</span>
                      ${statusBadge(item.status)}
                    </div>
                    <p class="case-title"><a class="row-link" href=${caseHref(item)}>${item.title}</a></p>
                    <p class="case-meta">Created ${formatDate(item.createdAt)}</p>
                  </li>`,
                )}
              </ul>`,
          `${customer.cases.length}`,
        )}
      </div>
    </article>`;
}

function caseView(item: DemoCase, customer: DemoCustomer) {
  const number = item.number ?? item.id;
  const others = customer.cases.filter((other) => other.id !== item.id);
  return html`<nav class="breadcrumb" aria-label="Breadcrumb">
      <a href="#/cases">Cases</a><span aria-hidden="true">/</span
      ><span aria-current="page">${number}</span>
    </nav>
    <article class="record" data-record-type="case" data-record-id=${item.id}>
      <header class="record-header">
        <span class="record-icon" aria-hidden="true">${icons.cases}</span>
        <div class="record-title">
          <h1 tabindex="-1">${item.title}</h1>
          <p class="page-subtitle">Case · <span class="mono">${number}</span></p>
        </div>
        ${statusBadge(item.status)}
      </header>
      <div class="record-grid">
        ${card(
          'Case details',
          html`<dl class="details">
            <div><dt>Case number</dt><dd class="mono">${number}</dd></div>
            <div><dt>Subject</dt><dd>${item.title}</dd></div>
            <div><dt>Status</dt><dd>${statusBadge(item.status)}</dd></div>
            <div><dt>Created</dt><dd>${formatDate(item.createdAt)}</dd></div>
            <div><dt>Case ID</dt><dd class="mono">${item.id}</dd></div>
          </dl>`,
        )}
        ${card(
          'Customer',
          html`<dl class="details">
            <div><dt>Contact</dt><dd><a href=${contactHref(customer)}>${customer.name}</a></dd></div>
            <div><dt>Email</dt><dd><a href=${`mailto:${customer.email}`}>${customer.email}</a></dd></div>
            <div><dt>Mobile phone</dt><dd class="tabular">${customer.phoneDisplay}</dd></div>
            <div><dt>Other cases</dt><dd>${
              others.length === 0
                ? 'None'
                : html`<ul role="list" class="inline-list">
                    ${others.map(
                      (other) =>
                        html`<li><a href=${caseHref(other)}>${other.number ?? other.id}</a>: ${other.title}</li>`,
                    )}
                  </ul>`
            }</dd></div>
          </dl>`,
        )}
      </div>
    </article>`;
}

function noSuchCaseView(key: string) {
  return html`<nav class="breadcrumb" aria-label="Breadcrumb">
      <a href="#/cases">Cases</a><span aria-hidden="true">/</span
      ><span aria-current="page">Not found</span>
    </nav>
    ${pageHeader('No such case')}
    <p class="empty" role="alert">
      No case has the ID or number <strong class="mono">${key}</strong>. It may have been merged
      or deleted. <a href="#/cases">All cases</a>
    </p>`;
}

function notFoundView() {
  return html`${pageHeader('Page not found')}
    <p class="empty">This view does not exist. <a href="#/">Back to the dashboard</a>.</p>`;
}

function mainView(route: Route): TemplateResult {
  if (state.error) {
    return html`${pageHeader('Northwind CRM is unavailable')}
      <p class="error" role="alert">${state.error}</p>`;
  }
  const customers = state.customers;
  if (!customers) return html`<p class="loading">Loading…</p>`;
  switch (route.name) {
    case 'home':
      return homeView(customers);
    case 'cases':
      return casesView(customers);
    case 'contacts':
      return contactsView(customers);
    case 'case': {
      const found = findCase(customers, route.id);
      return found ? caseView(found.item, found.customer) : noSuchCaseView(route.id);
    }
    case 'search':
      return searchView(customers, route.query);
    case 'lookup':
      return lookupView(customers, route.phone);
    case 'new-case':
      return newCaseView(route.phone);
    case 'contact': {
      const customer = customers.find((item) => item.id === route.id);
      return customer
        ? contactView(customer)
        : html`${pageHeader('Contact not found')}
            <p class="empty">No contact has the ID ${route.id}. <a href="#/contacts">All contacts</a></p>`;
    }
    default:
      return notFoundView();
  }
}

function navSection(route: Route): 'home' | 'cases' | 'contacts' | undefined {
  if (route.name === 'home' || route.name === 'cases' || route.name === 'contacts') {
    return route.name;
  }
  if (route.name === 'contact' || route.name === 'lookup') return 'contacts';
  if (route.name === 'case' || route.name === 'new-case') return 'cases';
  return undefined;
}

function navLink(href: string, label: string, key: string, current: string | undefined) {
  return html`<a href=${href} aria-current=${current === key ? 'page' : nothing}
    >${icons[key as 'home' | 'cases' | 'contacts']}<span>${label}</span></a
  >`;
}

function onSearch(event: SubmitEvent): void {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const input = form.elements.namedItem('q');
  if (!(input instanceof HTMLInputElement) || input.value.trim() === '') return;
  window.location.hash = `#/search?${new URLSearchParams({ q: input.value.trim() })}`;
}

function app(route: Route) {
  const current = navSection(route);
  return html`<div class="crm">
    <header class="topbar">
      <div class="topbar-inner">
        <a class="logo" href="#/">${logo}<span>Northwind <span class="logo-crm">CRM</span></span></a>
        <span class="app-name">Customer Service Hub</span>
        <form class="global-search" role="search" @submit=${onSearch}>
          <label class="visually-hidden" for="global-search">Search contacts and cases</label>
          ${icons.search}
          <input
            id="global-search"
            name="q"
            type="search"
            autocomplete="off"
            placeholder="Search contacts and cases"
            .value=${route.name === 'search' ? route.query : ''}
          />
        </form>
        <div class="topbar-user">
          ${themeToggle(update)}
          <span class="agent-status"><span class="dot" aria-hidden="true"></span>Available</span>
          <span class="avatar small agent" aria-hidden="true">AA</span>
          <span class="agent-name">Alex Agent</span>
        </div>
      </div>
    </header>
    <div class="workspace">
      <nav class="sidenav" aria-label="Main">
        ${navLink('#/', 'Home', 'home', current)} ${navLink('#/cases', 'Cases', 'cases', current)}
        ${navLink('#/contacts', 'Contacts', 'contacts', current)}
      </nav>
      <main class="content" id="main">${mainView(route)}</main>
    </div>
  </div>`;
}

function titleFor(route: Route): string {
  const customers = state.customers ?? [];
  switch (route.name) {
    case 'cases':
      return 'Cases';
    case 'contacts':
      return 'Contacts';
    case 'contact':
      return customers.find((item) => item.id === route.id)?.name ?? 'Contact';
    case 'case': {
      const found = findCase(customers, route.id);
      return found ? `${found.item.number ?? found.item.id}: ${found.item.title}` : 'No such case';
    }
    case 'lookup':
      return 'Incoming call';
    case 'search':
      return `Search: ${route.query}`;
    case 'home':
      return 'Dashboard';
    case 'new-case':
      return 'New case';
    default:
      return 'Not found';
  }
}

let lastRouteKey = '';

function update(): void {
  const route = parseRoute(window.location.hash);
  render(app(route), document.body);
  document.title = `${titleFor(route)} · Northwind CRM`;
  const key = JSON.stringify(route);
  if (key !== lastRouteKey && lastRouteKey !== '') {
    // A new view: start at its top and move focus to its heading, as a page load would.
    window.scrollTo(0, 0);
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  }
  lastRouteKey = key;
}

window.addEventListener('hashchange', update);
startTheme();
update();
loadDemoConfig().then(
  (config) => {
    state.customers = config.customers;
    applyScreenPop();
    update();
  },
  (error: unknown) => {
    state.error = `Could not load the CRM data: ${error instanceof Error ? error.message : String(error)}`;
    update();
  },
);
