import { css } from 'lit';

export const conversationStyles = css`
  :host {
    display: block;
  }
  /* h2: the notes and the handoff are parts of the sidebar of their own (heading order, axe). */
  section h2 {
    font-size: 12px;
    text-transform: uppercase;
    letter-spacing: 0.06em;
    color: var(--cc-muted);
    margin: 0 0 6px;
  }
  .handoff {
    border: 1px solid var(--cc-accent);
    border-radius: var(--cc-radius);
    padding: 8px 10px;
    background: var(--cc-surface);
  }
  .handoff h2 {
    text-transform: none;
    letter-spacing: 0;
    font-size: 13px;
    color: var(--cc-text);
  }
  blockquote {
    margin: 0 0 6px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  p {
    margin: 0 0 4px;
    overflow-wrap: anywhere;
  }
  .hint,
  .with {
    font-size: 12px;
    color: var(--cc-muted);
  }
  ul {
    list-style: none;
    margin: 6px 0;
    padding: 0;
    display: grid;
    gap: 6px;
  }
  li {
    border-left: 3px solid var(--cc-border);
    padding-left: 8px;
  }
  .who {
    font-weight: 600;
    font-size: 12px;
  }
  time {
    font-size: 12px;
    color: var(--cc-muted);
    margin-left: 4px;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    margin: 0;
  }
  form {
    display: grid;
    gap: 6px;
    margin-top: 6px;
  }
  label {
    display: grid;
    gap: 2px;
    font-size: 12px;
    font-weight: 600;
    color: var(--cc-muted);
  }
  textarea {
    font: inherit;
    color: var(--cc-text);
    background: var(--cc-bg);
    border: 1px solid var(--cc-border);
    border-radius: 6px;
    padding: 5px 7px;
    min-height: 48px;
    resize: vertical;
  }
  .actions {
    display: flex;
    gap: 6px;
    flex-wrap: wrap;
  }
  button {
    font: inherit;
    border-radius: 6px;
    border: 1px solid var(--cc-accent);
    padding: 4px 12px;
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
  }
  .done {
    color: var(--cc-ok);
  }
  .hand-over {
    border-top: 1px solid var(--cc-border);
    margin-top: 10px;
    padding-top: 8px;
  }
`;
