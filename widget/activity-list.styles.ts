import { css } from 'lit';
import { datedListStyles } from './dated-list.styles';

export const activityListStyles = [
  datedListStyles,
  css`
    .kind {
      color: var(--cc-muted);
      font-size: 12px;
    }
    .value {
      font-variant-numeric: tabular-nums;
      font-size: 12px;
      text-align: right;
    }
  `,
];
