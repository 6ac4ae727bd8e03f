import { css } from 'lit';

/**
 * A list of dated items, newest first (what the customer did online, their recent contacts): one
 * row per item, what it was on the left and when on the right, and a line when there are none.
 */
export const datedListStyles = css`
  :host {
    display: block;
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
  time {
    color: var(--cc-muted);
    font-size: 12px;
    white-space: nowrap;
  }
  .empty {
    color: var(--cc-muted);
    margin: 4px 0;
  }
`;
