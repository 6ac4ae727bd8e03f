import { css } from 'lit';

export const sidebarStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 100%;
    background: var(--cc-bg);
  }
  header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 10px 14px;
    border-bottom: 1px solid var(--cc-border);
    background: var(--cc-surface);
  }
  .brand {
    margin: 0;
    font-weight: 700;
    font-size: 13px;
    letter-spacing: 0.02em;
    flex: 1;
  }
  .state {
    font-size: 12px;
    font-weight: 600;
    border-radius: 999px;
    padding: 1px 8px;
    border: 1px solid currentColor;
  }
  .state.ringing {
    color: var(--cc-warn);
  }
  .state.connected {
    color: var(--cc-ok);
  }
  .state.ended,
  .state.wrapped_up {
    color: var(--cc-muted);
  }
  main {
    padding: 14px;
    display: flex;
    flex-direction: column;
    gap: 16px;
  }
  .number {
    display: flex;
    justify-content: space-between;
    color: var(--cc-muted);
    font-variant-numeric: tabular-nums;
  }
  section h3,
  section h2.label {
    font-size: 12px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--cc-muted);
    margin: 0 0 6px;
  }
  .case {
    padding: 8px 10px;
    border: 1px solid var(--cc-border);
    border-radius: var(--cc-radius);
  }
  .case .status {
    font-size: 12px;
    color: var(--cc-muted);
  }
  .notice {
    padding: 8px 10px;
    border-radius: var(--cc-radius);
    border-left: 4px solid var(--cc-warn);
    background: var(--cc-surface);
  }
  .notice.error {
    border-left-color: var(--cc-danger);
  }
  .idle,
  .unknown {
    color: var(--cc-muted);
    text-align: center;
    padding: 32px 8px;
  }
  .unknown strong {
    display: block;
    color: var(--cc-text);
    font-size: 18px;
    margin-bottom: 4px;
  }
  .source-error {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    flex-wrap: wrap;
  }
  .retry {
    font: inherit;
    font-size: 12px;
    font-weight: 600;
    padding: 2px 10px;
    border: 1px solid currentColor;
    border-radius: var(--cc-radius);
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .actions a,
  .case a {
    color: var(--cc-accent);
    font-weight: 600;
  }
  .actions a {
    border: 1px solid var(--cc-border);
    border-radius: var(--cc-radius);
    padding: 6px 10px;
    text-decoration: none;
  }
  .picker {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .picker button {
    text-align: left;
    padding: 8px 10px;
    font: inherit;
    color: var(--cc-text);
    background: var(--cc-surface);
    border: 1px solid var(--cc-border);
    border-radius: var(--cc-radius);
    cursor: pointer;
  }
  .picker button[aria-pressed='true'] {
    border-color: var(--cc-accent);
    box-shadow: inset 3px 0 0 var(--cc-accent);
  }
  .picked-by {
    margin: 0;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
    color: var(--cc-muted);
    font-size: 13px;
  }
  .insights {
    list-style: none;
    margin: 0;
    padding: 8px 10px;
    border-radius: var(--cc-radius);
    background: var(--cc-surface);
    border-left: 4px solid var(--cc-accent);
  }
  .insights > li + li {
    margin-top: 4px;
  }
  .insights summary {
    cursor: pointer;
    border-radius: 4px;
  }
  .insights details[open] summary {
    margin-bottom: 4px;
  }
  .freshness,
  .withheld {
    color: var(--cc-muted);
    font-size: 12px;
    margin: 0 0 4px;
  }
  .skeleton {
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .skeleton span {
    display: block;
    height: 14px;
    border-radius: 4px;
    background: var(--cc-skeleton);
    animation: pulse 1.2s ease-in-out infinite;
  }
  .skeleton span:first-child {
    height: 22px;
    width: 60%;
  }
  @keyframes pulse {
    50% {
      opacity: 0.5;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton span {
      animation: none;
    }
  }
`;
