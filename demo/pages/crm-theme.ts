import { html } from 'lit';

/** The demo CRM's own light or dark look, as real CRMs offer it (a setting of the agent's). */
export type CrmTheme = 'light' | 'dark';

const STORAGE_KEY = 'northwind-crm-theme';

/** `?theme=dark` in the address wins (for a screenshot), then the agent's last choice. */
export function initialTheme(url: URL, stored: string | null): CrmTheme {
  const asked = url.searchParams.get('theme');
  if (asked === 'dark' || asked === 'light') return asked;
  return stored === 'dark' ? 'dark' : 'light';
}

export function applyTheme(theme: CrmTheme): void {
  document.documentElement.dataset.theme = theme;
}

export function currentTheme(): CrmTheme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

function storedTheme(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Applies the theme the page opens with, before the first render (no light flash). */
export function startTheme(): void {
  applyTheme(initialTheme(new URL(location.href), storedTheme()));
}

/** The top bar's theme button; `rerender` draws the app again after a switch. */
export function themeToggle(rerender: () => void) {
  const dark = currentTheme() === 'dark';
  return html`<button
    type="button"
    class="theme-toggle"
    aria-pressed=${dark ? 'true' : 'false'}
    @click=${() => {
      const next: CrmTheme = currentTheme() === 'dark' ? 'light' : 'dark';
      applyTheme(next);
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Storage refused (private mode, a policy): the switch still holds for this page.
      }
      rerender();
    }}
  >
    Dark mode
  </button>`;
}
