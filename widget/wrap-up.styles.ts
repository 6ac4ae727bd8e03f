import { css } from 'lit';

export const wrapUpStyles = css`
  :host {
    display: block;
    padding: 0 14px 14px;
  }
  section {
    border-top: 1px solid var(--cc-border);
    padding-top: 10px;
    margin-top: 10px;
  }
  h3 {
    font-size: 13px;
    margin: 0 0 8px;
  }
  form {
    display: grid;
    gap: 8px;
  }
  label {
    display: grid;
    gap: 2px;
    font-size: 12px;
    font-weight: 600;
    color: var(--cc-muted);
  }
  select,
  textarea,
  input {
    font: inherit;
    color: var(--cc-text);
    background: var(--cc-bg);
    border: 1px solid var(--cc-border);
    border-radius: 6px;
    padding: 5px 7px;
  }
  textarea {
    min-height: 70px;
    resize: vertical;
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 2px 10px;
    margin: 0 0 6px;
    font-size: 12px;
  }
  dt {
    color: var(--cc-muted);
  }
  dd {
    margin: 0;
  }
  button {
    font: inherit;
    border-radius: 6px;
    border: 1px solid var(--cc-accent);
    padding: 5px 12px;
    cursor: pointer;
    background: var(--cc-bg);
    color: var(--cc-accent);
  }
  button.primary {
    background: var(--cc-accent);
    color: var(--cc-accent-text);
    font-weight: 600;
  }
  button:disabled {
    opacity: 0.6;
    cursor: progress;
  }
  .error {
    color: var(--cc-danger);
    margin: 0;
  }
  .saved {
    color: var(--cc-ok);
    margin: 0;
  }
  .actions {
    display: flex;
    gap: 6px;
    flex-wrap: wrap;
  }
  label.manager-choice {
    flex-direction: row;
    align-items: center;
    gap: 6px;
    font-weight: 600;
  }
  .hint {
    font-size: 12px;
    color: var(--cc-muted);
    margin: 0;
  }
`;
