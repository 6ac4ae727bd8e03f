import { describe, expect, it } from 'vitest';
import { caseHref, contactHref, findCase, parseRoute } from './crm-routes';

describe('parseRoute', () => {
  it('reads the list views and the dashboard', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/')).toEqual({ name: 'home' });
    expect(parseRoute('#/cases')).toEqual({ name: 'cases' });
    expect(parseRoute('#/contacts')).toEqual({ name: 'contacts' });
  });

  it('reads a single case by its id, decoded', () => {
    expect(parseRoute('#/case/case-5001')).toEqual({ name: 'case', id: 'case-5001' });
    expect(parseRoute('#/case/CAS%201042%2Fb')).toEqual({ name: 'case', id: 'CAS 1042/b' });
  });

  it('reads contacts, lookups and searches as before', () => {
    expect(parseRoute('#/contact/cust-1001')).toEqual({ name: 'contact', id: 'cust-1001' });
    expect(parseRoute('#/lookup/%2B442079460123')).toEqual({
      name: 'lookup',
      phone: '+442079460123',
    });
    expect(parseRoute('#/search?q=%2B44+20')).toEqual({ name: 'search', query: '+44 20' });
  });

  it('gives "not found" for a case without an id, extra parts or unknown views', () => {
    expect(parseRoute('#/case')).toEqual({ name: 'not-found' });
    expect(parseRoute('#/case/')).toEqual({ name: 'not-found' });
    expect(parseRoute('#/case/a/b')).toEqual({ name: 'not-found' });
    expect(parseRoute('#/cases/a')).toEqual({ name: 'not-found' });
    expect(parseRoute('#/invoices')).toEqual({ name: 'not-found' });
  });

  it('keeps a malformed escape as typed instead of throwing', () => {
    expect(parseRoute('#/case/%E0%A4%A')).toEqual({ name: 'case', id: '%E0%A4%A' });
  });

  it('reads back the links the CRM builds', () => {
    expect(parseRoute(caseHref({ id: 'case/5001 ?x' }))).toEqual({
      name: 'case',
      id: 'case/5001 ?x',
    });
    expect(parseRoute(contactHref({ id: 'cust 1#2' }))).toEqual({
      name: 'contact',
      id: 'cust 1#2',
    });
  });
});

describe('findCase', () => {
  const customers: { name: string; cases: { id: string; number?: string }[] }[] = [
    {
      name: 'Jane',
      cases: [
        { id: 'case-5001', number: 'CAS-1042' },
        { id: 'case-4711', number: 'CAS-0877' },
      ],
    },
    { name: 'Tom', cases: [{ id: 'CAS-0877' }] },
  ];

  it('finds a case and its customer by id', () => {
    const found = findCase(customers, 'case-4711');
    expect(found?.item.number).toBe('CAS-0877');
    expect(found?.customer.name).toBe('Jane');
  });

  it('finds a case by its number in any letter case, an id winning over a number', () => {
    expect(findCase(customers, 'cas-1042')?.item.id).toBe('case-5001');
    expect(findCase(customers, 'CAS-0877')?.customer.name).toBe('Tom');
  });

  it('finds nothing for an unknown or empty key', () => {
    expect(findCase(customers, 'case-9999')).toBeUndefined();
    expect(findCase(customers, ' ')).toBeUndefined();
  });
});

describe('the new-case route', () => {
  it('carries the caller number from its query', () => {
    expect(parseRoute('#/new-case?phone=%2B442079460000')).toEqual({
      name: 'new-case',
      phone: '+442079460000',
    });
    expect(parseRoute('#/new-case')).toEqual({ name: 'new-case', phone: '' });
    expect(parseRoute('#/new-case/x')).toEqual({ name: 'not-found' });
  });
});
