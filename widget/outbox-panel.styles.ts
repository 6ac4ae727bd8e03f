import { css } from 'lit';
import { optionsSectionStyles } from './options.styles';

/** A section of the options page; under the wrap-up (`compact`), a small line below a rule. */
export const outboxPanelStyles = [
  ...optionsSectionStyles,
  css`
    .failed {
      color: var(--cc-danger);
    }
    :host([compact]) section {
      border: none;
      border-radius: 0;
      border-top: 1px solid var(--cc-border);
      padding: 10px 0 0;
      margin-top: 10px;
      font-size: 12px;
      color: var(--cc-muted);
    }
    :host([compact]) ul {
      margin: 4px 0;
      padding-left: 18px;
    }
    :host([compact]) .row {
      gap: 6px;
    }
    :host([compact]) button {
      padding: 5px 12px;
      background: var(--cc-bg);
      color: var(--cc-accent);
    }
  `,
];
