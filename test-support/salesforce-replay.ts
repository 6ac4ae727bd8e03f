import { fixture, type Reply } from './replay';
import type { DocumentedRoute, ReplayedRequest } from './replay-server';

/** The REST API version our Salesforce connector and sink default to. */
export const SALESFORCE_API = '/services/data/v62.0';

/** The SOSL or SOQL text of a search or query request. */
export const soqlOf = (request: ReplayedRequest) => request.url.searchParams.get('q') ?? '';

/**
 * Test support: Salesforce's documented OAuth token endpoint, SOSL search and SOQL queries of a
 * contact's cases and tasks, answered with the documented examples in
 * `shared/connectors/fixtures/` unless a test gives another answer.
 */
export function salesforceRoutes(
  answers: { search?: string; token?: DocumentedRoute['reply']; tasks?: Reply } = {},
): DocumentedRoute[] {
  return [
    {
      method: 'POST',
      path: '/services/oauth2/token',
      reply: answers.token ?? fixture('salesforce-oauth-token'),
    },
    {
      method: 'GET',
      path: `${SALESFORCE_API}/search/`,
      when: (r) => soqlOf(r).startsWith('FIND {'),
      reply: fixture(answers.search ?? 'salesforce-search-contacts'),
    },
    {
      method: 'GET',
      path: `${SALESFORCE_API}/query/`,
      when: (r) => soqlOf(r).includes(' FROM Case WHERE '),
      reply: fixture('salesforce-query-cases'),
    },
    {
      method: 'GET',
      path: `${SALESFORCE_API}/query/`,
      when: (r) => soqlOf(r).includes(' FROM Task WHERE '),
      reply: answers.tasks ?? fixture('salesforce-query-tasks'),
    },
  ];
}
