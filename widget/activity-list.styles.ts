import { css } from 'lit';

export const activityListStyles = css`
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
  .kind {
    color: var(--cc-muted);
    font-size: 12px;
  }
  time {
    color: var(--cc-muted);
    font-size: 12px;
    white-space: nowrap;
  }
  .value {
    font-variant-numeric: tabular-nums;
    font-size: 12px;
    text-align: right;
  }
  .empty {
    color: var(--cc-muted);
    margin: 4px 0;
  }
`;
