import { css } from 'lit';

export const recentContactsStyles = css`
  :host {
    display: block;
  }
  h3 {
    font-size: 12px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--cc-muted);
    margin: 0 0 6px;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 2px 8px;
    padding: 8px 0;
    border-bottom: 1px solid var(--cc-border);
  }
  li:last-child {
    border-bottom: none;
  }
  .what {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .what a {
    color: var(--cc-accent);
  }
  time,
  .meta {
    color: var(--cc-muted);
    font-size: 12px;
  }
  time {
    white-space: nowrap;
  }
  .meta {
    grid-column: 1 / -1;
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
  .empty,
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
`;
