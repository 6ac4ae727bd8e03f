import { css } from 'lit';
import { sidebarFormStyles } from './form.styles';

export const conversationStyles = [
  sidebarFormStyles,
  css`
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
    textarea {
      min-height: 48px;
    }
    button {
      padding: 4px 12px;
    }
    .done {
      color: var(--cc-ok);
    }
    .hand-over {
      border-top: 1px solid var(--cc-border);
      margin-top: 10px;
      padding-top: 8px;
    }
  `,
];
