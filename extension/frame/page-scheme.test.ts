// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import {
  declaredScheme,
  parseComputedColor,
  readPageScheme,
  relativeLuminance,
  schemeOfBackground,
  watchPageScheme,
} from './page-scheme';

describe('parseComputedColor', () => {
  it('reads the forms browsers compute', () => {
    expect(parseComputedColor('rgb(255, 255, 255)')).toEqual({ r: 255, g: 255, b: 255, a: 1 });
    expect(parseComputedColor('rgba(22, 25, 30, 0.5)')).toEqual({ r: 22, g: 25, b: 30, a: 0.5 });
    expect(parseComputedColor('rgba(0, 0, 0, 0)')).toEqual({ r: 0, g: 0, b: 0, a: 0 });
    expect(parseComputedColor('rgb(1 2 3 / 0.25)')).toEqual({ r: 1, g: 2, b: 3, a: 0.25 });
  });

  it('skips what it cannot place on the sRGB scale', () => {
    expect(parseComputedColor('oklch(0.2 0.01 250)')).toBeUndefined();
    expect(parseComputedColor('color(display-p3 1 0 0)')).toBeUndefined();
    expect(parseComputedColor('rgb(10%, 20%, 30%)')).toBeUndefined();
    expect(parseComputedColor('rgb(1, 2)')).toBeUndefined();
    expect(parseComputedColor('')).toBeUndefined();
  });
});

describe('schemeOfBackground', () => {
  it('uses WCAG relative luminance', () => {
    expect(relativeLuminance({ r: 0, g: 0, b: 0, a: 1 })).toBe(0);
    expect(relativeLuminance({ r: 255, g: 255, b: 255, a: 1 })).toBeCloseTo(1, 5);
  });

  it('calls dark what white text reads better on', () => {
    expect(schemeOfBackground({ r: 22, g: 25, b: 30, a: 1 })).toBe('dark');
    expect(schemeOfBackground({ r: 19, g: 78, b: 74, a: 1 })).toBe('dark');
    expect(schemeOfBackground({ r: 243, g: 245, b: 248, a: 1 })).toBe('light');
    // Mid grey: #777 (L 0.184) still takes black text better; #737373 (L 0.171) does not.
    expect(schemeOfBackground({ r: 0x77, g: 0x77, b: 0x77, a: 1 })).toBe('light');
    expect(schemeOfBackground({ r: 0x73, g: 0x73, b: 0x73, a: 1 })).toBe('dark');
  });
});

describe('declaredScheme', () => {
  it('answers only for a single scheme', () => {
    expect(declaredScheme('dark')).toBe('dark');
    expect(declaredScheme('only light')).toBe('light');
    expect(declaredScheme('light dark')).toBeNull();
    expect(declaredScheme('normal')).toBeNull();
    expect(declaredScheme(undefined)).toBeNull();
  });
});

describe('readPageScheme', () => {
  afterEach(() => {
    document.documentElement.removeAttribute('style');
    document.body.removeAttribute('style');
    document.body.replaceChildren();
  });

  it('reads the background painted on the body', () => {
    document.body.style.backgroundColor = 'rgb(20, 20, 24)';
    expect(readPageScheme(document)).toBe('dark');
    document.body.style.backgroundColor = 'rgb(250, 250, 250)';
    expect(readPageScheme(document)).toBe('light');
  });

  it('falls back to the page colour-scheme when nothing is painted', () => {
    document.documentElement.style.colorScheme = 'dark';
    expect(readPageScheme(document)).toBe('dark');
    document.documentElement.style.colorScheme = 'light dark';
    expect(readPageScheme(document)).toBeNull();
  });
});

describe('watchPageScheme', () => {
  it('reports a theme switched by a class or style on body, once per change', async () => {
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    const seen: unknown[] = [];
    const watcher = watchPageScheme(document, (scheme) => seen.push(scheme));
    expect(watcher.current()).toBe('light');
    document.body.style.backgroundColor = 'rgb(10, 10, 10)';
    document.body.className = 'dark';
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(['dark']);
    document.body.className = 'dark still';
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(['dark']);
    watcher.stop();
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(['dark']);
  });
});
