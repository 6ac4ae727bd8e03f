/**
 * The CRMs whose pages the sidebar is declared for in the manifest: on these an admin's
 * `crmMatches` policy is all it takes (docs/deploy.md, "Where the sidebar shows"). Each pattern
 * is the platform's documented tenant hostname; which tenant (and which pages) actually shows
 * the sidebar is decided by `crmMatches` at run time, never by this list.
 *
 * Any other CRM origin needs host access (the enterprise package declares it, see wxt.config.ts).
 */
export interface CrmPlatform {
  id: string;
  name: string;
  matches: readonly string[];
  /** Where the vendor documents the hostnames. */
  source: string;
}

export const crmPlatforms: readonly CrmPlatform[] = [
  {
    id: 'dynamics-365',
    name: 'Dynamics 365 (model-driven apps)',
    // <org>.crm.dynamics.com, <org>.crm4.dynamics.com, ... one subdomain per datacenter region.
    matches: ['https://*.dynamics.com/*'],
    source: 'https://learn.microsoft.com/power-platform/admin/new-datacenter-regions',
  },
  {
    id: 'salesforce',
    name: 'Salesforce Lightning',
    // <MyDomain>.lightning.force.com (Lightning Experience), <MyDomain>.my.salesforce.com.
    matches: ['https://*.lightning.force.com/*', 'https://*.my.salesforce.com/*'],
    source: 'https://help.salesforce.com/s/articleView?id=sf.domain_name_url_formats.htm',
  },
  {
    id: 'zendesk',
    name: 'Zendesk Support',
    matches: ['https://*.zendesk.com/*'],
    source: 'https://support.zendesk.com/hc/en-us/articles/4408836459546',
  },
  {
    id: 'hubspot',
    name: 'HubSpot',
    // app.hubspot.com, and app-eu1.hubspot.com for accounts hosted in the EU.
    matches: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*'],
    source:
      'https://knowledge.hubspot.com/account-security/hubspot-cloud-infrastructure-and-data-hosting-frequently-asked-questions',
  },
  {
    id: 'servicenow',
    name: 'ServiceNow',
    matches: ['https://*.service-now.com/*'],
    source: 'https://docs.servicenow.com/ (instance URLs: https://<instance>.service-now.com)',
  },
  {
    id: 'freshdesk',
    name: 'Freshdesk',
    matches: ['https://*.freshdesk.com/*'],
    source: 'https://support.freshdesk.com/ (helpdesk URLs: https://<domain>.freshdesk.com)',
  },
];

/** Loopback: the demo CRM and the tests. */
export const loopbackMatches: readonly string[] = ['http://127.0.0.1/*', 'http://localhost/*'];

/** Where the sidebar's content script is declared, and its page is web-accessible. */
export const sidebarMatches: readonly string[] = [
  ...loopbackMatches,
  ...crmPlatforms.flatMap((p) => p.matches),
];
