import { describe, expect, it } from 'vitest';
import {
  clampFrameWidth,
  DEFAULT_FRAME_WIDTH,
  isOpenableUrl,
  MAX_FRAME_WIDTH,
  MIN_FRAME_WIDTH,
  readFrameLayout,
} from './frame-host';

describe('frame layout', () => {
  it('keeps a width between the limits', () => {
    expect(clampFrameWidth(100)).toBe(MIN_FRAME_WIDTH);
    expect(clampFrameWidth(5000)).toBe(MAX_FRAME_WIDTH);
    expect(clampFrameWidth(401.6)).toBe(402);
    expect(clampFrameWidth(Number.NaN)).toBe(DEFAULT_FRAME_WIDTH);
  });

  it('reads whatever storage holds as a valid layout', () => {
    expect(readFrameLayout(undefined)).toEqual({ collapsed: false, width: DEFAULT_FRAME_WIDTH });
    expect(readFrameLayout({ collapsed: true, width: 420 })).toEqual({
      collapsed: true,
      width: 420,
    });
    expect(readFrameLayout({ collapsed: 'yes', width: '9000' })).toEqual({
      collapsed: false,
      width: DEFAULT_FRAME_WIDTH,
    });
    expect(readFrameLayout({ width: 9000 }).width).toBe(MAX_FRAME_WIDTH);
  });

  it('opens only web addresses in the CRM tab', () => {
    expect(isOpenableUrl('https://crm.example.com/#/contact/1')).toBe(true);
    expect(isOpenableUrl('http://127.0.0.1:3000/crm?phone=%2B44')).toBe(true);
    expect(isOpenableUrl('javascript:alert(1)')).toBe(false);
    expect(isOpenableUrl('data:text/html,x')).toBe(false);
    expect(isOpenableUrl('/relative')).toBe(false);
  });
});
