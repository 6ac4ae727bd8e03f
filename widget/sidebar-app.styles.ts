import { css } from 'lit';

export const sidebarAppStyles = css`
  :host {
    display: block;
    position: relative;
    min-height: 100%;
  }
  cc-sidebar {
    min-height: 100vh;
  }
  .resize {
    position: absolute;
    top: 0;
    bottom: 0;
    left: 0;
    width: 6px;
    cursor: ew-resize;
    z-index: 1;
    touch-action: none;
    background: transparent;
  }
  .resize:hover,
  .resize:focus-visible {
    background: var(--cc-accent);
  }
  .resize:focus-visible {
    outline-offset: -2px;
  }
  .collapse {
    font: inherit;
    font-size: 16px;
    line-height: 1;
    padding: 4px 8px;
    border: 1px solid var(--cc-border);
    border-radius: var(--cc-radius);
    background: var(--cc-bg);
    color: var(--cc-text);
    cursor: pointer;
  }
  .tab {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 8px;
    width: 100%;
    min-height: 100vh;
    padding: 12px 0;
    border: 0;
    background: var(--cc-surface);
    color: var(--cc-text);
    font: inherit;
    font-weight: 700;
    cursor: pointer;
    writing-mode: vertical-rl;
  }
  .tab .dot {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--cc-warn);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .tab:focus-visible {
    outline-offset: -4px;
  }
`;
