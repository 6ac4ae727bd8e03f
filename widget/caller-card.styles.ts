import { css } from 'lit';

export const callerCardStyles = css`
  :host {
    display: block;
  }
  h2 {
    font-size: 20px;
    margin: 0 0 2px;
    overflow-wrap: anywhere;
  }
  .tier {
    display: inline-block;
    background: var(--cc-accent);
    color: var(--cc-accent-text);
    border-radius: 999px;
    padding: 0 8px;
    font-size: 12px;
    font-weight: 600;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 4px 12px;
    margin: 12px 0 0;
  }
  dt {
    color: var(--cc-muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .owner {
    margin-top: 12px;
    padding: 8px 10px;
    background: var(--cc-surface);
    border-radius: var(--cc-radius);
  }
  .consent {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 12px;
    padding: 0;
    list-style: none;
  }
  .consent li {
    border: 1px solid currentColor;
    border-radius: 999px;
    padding: 0 8px;
    font-size: 12px;
  }
  .granted {
    color: var(--cc-ok);
  }
  .denied {
    color: var(--cc-danger);
  }
  .unknown {
    color: var(--cc-muted);
  }
`;
