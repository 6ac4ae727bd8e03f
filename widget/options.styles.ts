import { css } from 'lit';
import { fieldStyles } from './form.styles';
import { theme } from './theme.styles';

export const optionsStyles = [
  fieldStyles,
  css`
    :host {
      display: block;
      max-width: 760px;
      margin: 0 auto;
      padding: 24px 20px 48px;
      background: var(--cc-bg);
    }
    h1 {
      font-size: 22px;
      margin: 0 0 4px;
    }
    h2 {
      font-size: 16px;
      margin: 0 0 12px;
    }
    section {
      border: 1px solid var(--cc-border);
      border-radius: var(--cc-radius);
      padding: 16px;
      margin-top: 16px;
    }
    .lead {
      color: var(--cc-muted);
      margin: 0 0 8px;
    }
    .field {
      display: grid;
      gap: 4px;
      margin-bottom: 14px;
    }
    .field label {
      font-weight: 600;
    }
    .field .hint,
    .origin {
      color: var(--cc-muted);
      font-size: 12px;
    }
    .origin.policy {
      color: var(--cc-warn);
      font-weight: 600;
    }
    input,
    textarea {
      padding: 6px 8px;
    }
    textarea {
      min-height: 72px;
      font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
      font-size: 13px;
    }
    input[type='checkbox'] {
      justify-self: start;
      width: 18px;
      height: 18px;
      margin: 0;
    }
    input:disabled,
    textarea:disabled {
      background: var(--cc-surface);
      color: var(--cc-muted);
    }
    [aria-invalid='true'] {
      border-color: var(--cc-danger);
    }
    .error {
      color: var(--cc-danger);
      font-size: 13px;
    }
    .row {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
    }
    button {
      font: inherit;
      border-radius: 6px;
      padding: 6px 14px;
      border: 1px solid var(--cc-accent);
      background: var(--cc-accent);
      color: var(--cc-accent-text);
      cursor: pointer;
    }
    button.secondary {
      background: transparent;
      color: var(--cc-accent);
    }
    button.danger {
      border-color: var(--cc-danger);
      background: var(--cc-danger);
      color: #fff;
    }
    button:disabled {
      opacity: 0.6;
      cursor: progress;
    }
    .notice {
      padding: 8px 10px;
      border-radius: var(--cc-radius);
      border-left: 4px solid var(--cc-warn);
      background: var(--cc-surface);
      margin: 8px 0;
    }
    .notice.ok {
      border-left-color: var(--cc-ok);
    }
    .notice.error {
      border-left-color: var(--cc-danger);
    }
    ul.sources {
      margin: 8px 0 0;
      padding-left: 20px;
    }
    .ok-text {
      color: var(--cc-ok);
    }
    .error-text {
      color: var(--cc-danger);
    }
  `,
];

/** A section the options page slots in (detection, outbox, audit): the page's look, not its frame. */
export const optionsSectionStyles = [
  theme,
  optionsStyles,
  css`
    :host {
      padding: 0;
      max-width: none;
    }
  `,
];
