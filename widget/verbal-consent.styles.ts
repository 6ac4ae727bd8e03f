import { css } from 'lit';

export const verbalConsentStyles = css`
  :host {
    display: block;
  }
  section {
    padding: 10px 12px;
    border-radius: var(--cc-radius);
    border: 1px solid var(--cc-border);
    border-left: 4px solid var(--cc-accent);
    background: var(--cc-surface);
  }
  /* An h2 in the unknown caller's view, where no name heading comes first; looks like a label. */
  h2 {
    font-size: 12px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--cc-muted);
    margin: 0 0 6px;
  }
  .prompt {
    margin: 0 0 10px;
    font-size: 15px;
  }
  .answers {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  button {
    font: inherit;
    font-weight: 600;
    padding: 6px 12px;
    border-radius: var(--cc-radius);
    border: 1px solid var(--cc-accent);
    cursor: pointer;
  }
  button.agree {
    background: var(--cc-accent);
    color: var(--cc-accent-text);
  }
  button.decline {
    background: transparent;
    color: var(--cc-text);
    border-color: var(--cc-border);
  }
  button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.8;
  }
  .result {
    margin: 8px 0 0;
  }
  /* Kept in the page while empty, so screen readers hear the answer when it is written. */
  .result:empty {
    margin: 0;
  }
  .error {
    margin: 8px 0 0;
    color: var(--cc-danger);
  }
`;
