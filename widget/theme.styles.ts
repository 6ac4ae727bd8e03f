import { css } from 'lit';

/** Colours and type shared by every sidebar component; light and dark follow the system. */
export const theme = css`
  :host {
    --cc-bg: #ffffff;
    --cc-surface: #f4f6f9;
    --cc-border: #d5dbe3;
    --cc-text: #1b2430;
    --cc-muted: #4f5b6b;
    --cc-accent: #0b5cad;
    --cc-accent-text: #ffffff;
    --cc-ok: #16723a;
    --cc-warn: #8a5300;
    --cc-danger: #b3261e;
    --cc-radius: 8px;
    --cc-skeleton: #e3e8ef;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    font-size: 14px;
    line-height: 1.4;
    color: var(--cc-text);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --cc-bg: #16191e;
      --cc-surface: #1f242b;
      --cc-border: #353c46;
      --cc-text: #e8ecf1;
      --cc-muted: #aab4c1;
      --cc-accent: #7ab8ff;
      --cc-accent-text: #0b1520;
      --cc-ok: #6fd69a;
      --cc-warn: #f0b35a;
      --cc-danger: #ff8a80;
      --cc-skeleton: #2a3039;
    }
  }
  :focus-visible {
    outline: 2px solid var(--cc-accent);
    outline-offset: 2px;
  }
`;
