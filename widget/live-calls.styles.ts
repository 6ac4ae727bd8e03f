import { css } from 'lit';

export const liveCallsStyles = css`
  :host {
    display: block;
    min-height: 100vh;
    background: var(--cc-bg);
  }
  header {
    padding: 12px 20px;
    border-bottom: 1px solid var(--cc-border);
    background: var(--cc-surface);
  }
  h1 {
    margin: 0;
    font-size: 18px;
  }
  main {
    padding: 16px 20px;
    display: grid;
    gap: 20px;
    max-width: 1100px;
  }
  h2 {
    font-size: 13px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--cc-muted);
    margin: 0 0 8px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 6px 8px;
    border-bottom: 1px solid var(--cc-border);
    vertical-align: top;
  }
  thead th {
    font-size: 12px;
    color: var(--cc-muted);
  }
  tbody th {
    font-weight: 600;
  }
  button {
    font: inherit;
    border-radius: 6px;
    border: 1px solid var(--cc-accent);
    padding: 4px 10px;
    cursor: pointer;
    background: var(--cc-bg);
    color: var(--cc-accent);
    font-weight: 600;
    text-align: left;
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  nav {
    padding: 8px 14px;
    border-bottom: 1px solid var(--cc-border);
  }
  .hint {
    color: var(--cc-muted);
    margin: 0;
  }
  .notice {
    color: var(--cc-danger);
    margin: 0;
  }
  .tag {
    font-size: 11px;
    font-weight: 600;
    color: var(--cc-muted);
    border: 1px solid var(--cc-border);
    border-radius: 999px;
    padding: 0 6px;
    margin-left: 4px;
  }
  .state {
    font-size: 12px;
    font-weight: 600;
  }
  .state.available {
    color: var(--cc-ok);
  }
  .state.busy {
    color: var(--cc-warn);
  }
  .state.wrap_up {
    color: var(--cc-accent);
  }
  .state.offline {
    color: var(--cc-muted);
  }
`;
