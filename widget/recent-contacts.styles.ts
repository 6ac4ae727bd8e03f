import { css } from 'lit';
import { datedListStyles } from './dated-list.styles';

export const recentContactsStyles = [
  datedListStyles,
  css`
    h3 {
      font-size: 12px;
      text-transform: uppercase;
      letter-spacing: 0.06em;
      color: var(--cc-muted);
      margin: 0 0 6px;
    }
    .what a {
      color: var(--cc-accent);
    }
    .meta {
      grid-column: 1 / -1;
      color: var(--cc-muted);
      font-size: 12px;
    }
    .result {
      color: var(--cc-text);
      font-weight: 600;
    }
    .note {
      grid-column: 1 / -1;
      margin: 2px 0 0;
      white-space: pre-line;
      overflow-wrap: anywhere;
    }
    .local {
      grid-column: 1 / -1;
      justify-self: start;
      font-size: 11px;
      border: 1px solid var(--cc-border);
      border-radius: 999px;
      padding: 0 6px;
      color: var(--cc-muted);
    }
    .withheld {
      color: var(--cc-muted);
      margin: 4px 0;
    }
    button {
      margin-top: 6px;
      font: inherit;
      font-size: 13px;
      color: var(--cc-accent);
      background: none;
      border: 1px solid var(--cc-border);
      border-radius: var(--cc-radius);
      padding: 4px 10px;
      cursor: pointer;
    }
  `,
];
