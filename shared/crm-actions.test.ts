import { describe, expect, it } from 'vitest';
import { crmActionUrl, validateCrmActions } from './crm-actions';

describe('crmActionUrl', () => {
  it('fills the placeholders, encoded', () => {
    expect(
      crmActionUrl('https://crm.example.com/search?q={phone}', { phone: '+447700900123' }),
    ).toBe('https://crm.example.com/search?q=%2B447700900123');
    expect(crmActionUrl('https://crm.example.com/#/contact/{id}', { id: 'a/b c' })).toBe(
      'https://crm.example.com/#/contact/a%2Fb%20c',
    );
  });

  it('offers no link when the template is unset or a value is missing', () => {
    expect(crmActionUrl(undefined, { phone: '+44' })).toBeUndefined();
    expect(crmActionUrl('https://crm.example.com/case/{number}', { id: 'x' })).toBeUndefined();
  });
});

describe('validateCrmActions', () => {
  it('accepts https templates and loopback http', () => {
    expect(
      validateCrmActions({
        search: 'https://crm.example.com/search?q={phone}',
        createCase: 'https://crm.example.com/cases/new?phone={phone}',
        openContact: 'http://127.0.0.1:3000/crm#/contact/{id}',
      }),
    ).toEqual({
      search: 'https://crm.example.com/search?q={phone}',
      createCase: 'https://crm.example.com/cases/new?phone={phone}',
      openContact: 'http://127.0.0.1:3000/crm#/contact/{id}',
    });
  });

  it('refuses unknown actions, other schemes and plain http elsewhere', () => {
    expect(validateCrmActions({ delete: 'https://x/{id}' })).toBeInstanceOf(Error);
    expect(validateCrmActions({ search: 'javascript:alert({phone})' })).toBeInstanceOf(Error);
    expect(validateCrmActions({ search: 'http://crm.example.com/?q={phone}' })).toBeInstanceOf(
      Error,
    );
    expect(validateCrmActions({ search: 42 })).toBeInstanceOf(Error);
    expect(validateCrmActions(['https://x'])).toBeInstanceOf(Error);
  });
});
