import { css } from 'lit';

/** A text field, select or date as every page of the widget draws it (each sets its own size). */
export const fieldStyles = css`
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
`;

/**
 * The sidebar's forms (the wrap-up, the call's notes and handover): a label above its field,
 * outlined buttons with a filled `primary`, a row of `actions`, and an `error` line.
 */
export const sidebarFormStyles = [
  fieldStyles,
  css`
    label {
      display: grid;
      gap: 2px;
      font-size: 12px;
      font-weight: 600;
      color: var(--cc-muted);
    }
    textarea {
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
    }
  `,
];
