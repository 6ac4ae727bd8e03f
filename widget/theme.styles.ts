import { css } from 'lit';

/**
 * Colours and type shared by every sidebar component. Each colour is a `light-dark()` pair, so
 * the page's used colour scheme picks one: the system's by default (the pages declare
 * `color-scheme: light dark`), or the CRM's, which the sidebar page sets on its root when the
 * CRM beside it is clearly light or dark. Both sets meet WCAG 2.2 AA contrast (axe-checked).
 */
export const theme = css`
  :host {
    --cc-bg: light-dark(#ffffff, #16191e);
    --cc-surface: light-dark(#f4f6f9, #1f242b);
    --cc-border: light-dark(#d5dbe3, #353c46);
    --cc-text: light-dark(#1b2430, #e8ecf1);
    --cc-muted: light-dark(#4f5b6b, #aab4c1);
    --cc-accent: light-dark(#0b5cad, #7ab8ff);
    --cc-accent-text: light-dark(#ffffff, #0b1520);
    --cc-ok: light-dark(#16723a, #6fd69a);
    --cc-warn: light-dark(#8a5300, #f0b35a);
    --cc-danger: light-dark(#b3261e, #ff8a80);
    --cc-radius: 8px;
    --cc-skeleton: light-dark(#e3e8ef, #2a3039);
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    font-size: 14px;
    line-height: 1.4;
    color: var(--cc-text);
  }
  :focus-visible {
    outline: 2px solid var(--cc-accent);
    outline-offset: 2px;
  }
`;
