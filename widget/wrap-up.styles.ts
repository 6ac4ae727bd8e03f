import { css } from 'lit';
import { sidebarFormStyles } from './form.styles';

export const wrapUpStyles = [
  sidebarFormStyles,
  css`
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
    textarea {
      min-height: 70px;
    }
    .error {
      margin: 0;
    }
    .saved {
      color: var(--cc-ok);
      margin: 0;
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
  `,
];
