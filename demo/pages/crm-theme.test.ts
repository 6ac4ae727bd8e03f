import { describe, expect, it } from 'vitest';
import { initialTheme } from './crm-theme';

describe('initialTheme', () => {
  it('takes ?theme= first, then the stored choice, else light', () => {
    expect(initialTheme(new URL('http://127.0.0.1/crm?theme=dark'), 'light')).toBe('dark');
    expect(initialTheme(new URL('http://127.0.0.1/crm?theme=light'), 'dark')).toBe('light');
    expect(initialTheme(new URL('http://127.0.0.1/crm'), 'dark')).toBe('dark');
    expect(initialTheme(new URL('http://127.0.0.1/crm?theme=purple'), null)).toBe('light');
    expect(initialTheme(new URL('http://127.0.0.1/crm'), 'garbage')).toBe('light');
  });
});
