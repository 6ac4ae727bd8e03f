/** Product illustrations for La Boutique: inline SVG, no image files, decorative. */
import { html, type SVGTemplateResult, svg, type TemplateResult } from 'lit';

const espressoPro = svg`<ellipse cx="120" cy="152" rx="78" ry="6" fill="#3b2a20" opacity="0.1" />
  <rect x="62" y="36" width="116" height="112" rx="10" fill="#d6d3d1" />
  <rect x="62" y="36" width="14" height="112" rx="7" fill="#e7e5e4" />
  <rect x="56" y="28" width="128" height="14" rx="5" fill="#3b2a20" />
  <rect x="72" y="50" width="96" height="36" rx="6" fill="#292524" />
  <circle cx="96" cy="68" r="11" fill="#fafaf9" stroke="#a8a29e" stroke-width="3" />
  <path d="M96 68l6-5" stroke="#b45309" stroke-width="2.5" stroke-linecap="round" />
  <circle cx="130" cy="68" r="5" fill="#d97706" />
  <circle cx="148" cy="68" r="5" fill="#78716c" />
  <rect x="104" y="88" width="32" height="10" rx="3" fill="#57534e" />
  <rect x="134" y="92" width="40" height="7" rx="3.5" fill="#1c1917" />
  <rect x="119" y="98" width="2" height="20" fill="#7c4a2d" />
  <path d="M106 116h28v10a10 10 0 0 1-10 10h-8a10 10 0 0 1-10-10z" fill="#fff" stroke="#d6d3d1" stroke-width="2" />
  <path d="M134 119h3a5 5 0 0 1 0 10h-4" fill="none" stroke="#d6d3d1" stroke-width="2.5" />
  <rect x="70" y="136" width="100" height="9" rx="2.5" fill="#57534e" />`;

const grinder = svg`<ellipse cx="120" cy="152" rx="52" ry="6" fill="#3b2a20" opacity="0.1" />
  <path d="M92 18h56l-9 42h-38z" fill="#f5f5f4" stroke="#a8a29e" stroke-width="2" opacity="0.95" />
  <g fill="#6f4326">
    <ellipse cx="110" cy="46" rx="5" ry="3.5" transform="rotate(-20 110 46)" />
    <ellipse cx="122" cy="50" rx="5" ry="3.5" transform="rotate(25 122 50)" />
    <ellipse cx="132" cy="44" rx="5" ry="3.5" transform="rotate(-10 132 44)" />
    <ellipse cx="116" cy="38" rx="5" ry="3.5" transform="rotate(40 116 38)" />
    <ellipse cx="128" cy="34" rx="5" ry="3.5" transform="rotate(-30 128 34)" />
  </g>
  <rect x="90" y="58" width="60" height="82" rx="9" fill="#292524" />
  <circle cx="120" cy="82" r="13" fill="#d97706" />
  <path d="M120 70v7" stroke="#fff7ed" stroke-width="3" stroke-linecap="round" />
  <rect x="110" y="104" width="20" height="6" rx="2" fill="#78716c" />
  <rect x="104" y="114" width="32" height="18" rx="3" fill="#a8a29e" />
  <rect x="84" y="138" width="72" height="10" rx="4" fill="#1c1917" />`;

const coldBrewKit = svg`<ellipse cx="120" cy="152" rx="62" ry="6" fill="#3b2a20" opacity="0.1" />
  <rect x="84" y="28" width="68" height="14" rx="5" fill="#292524" />
  <rect x="88" y="40" width="60" height="108" rx="12" fill="#e0f2fe" stroke="#94a3b8" stroke-width="2" />
  <rect x="92" y="72" width="52" height="72" rx="9" fill="#7c4a2d" />
  <rect x="108" y="44" width="20" height="74" rx="6" fill="#fafaf9" opacity="0.55" />
  <rect x="96" y="76" width="12" height="12" rx="2" fill="#fff" opacity="0.45" transform="rotate(-12 102 82)" />
  <rect x="128" y="78" width="11" height="11" rx="2" fill="#fff" opacity="0.4" transform="rotate(15 133 83)" />
  <path d="M158 104h26l-3 40a4 4 0 0 1-4 4h-12a4 4 0 0 1-4-4z" fill="#e0f2fe" stroke="#94a3b8" stroke-width="2" />
  <path d="M161 118h20l-2 26a3 3 0 0 1-3 3h-10a3 3 0 0 1-3-3z" fill="#7c4a2d" />`;

const dripTray = svg`<ellipse cx="120" cy="140" rx="82" ry="7" fill="#3b2a20" opacity="0.1" />
  <path d="M44 96h152l-8 36a6 6 0 0 1-6 5H58a6 6 0 0 1-6-5z" fill="#57534e" />
  <rect x="40" y="84" width="160" height="16" rx="5" fill="#a8a29e" />
  <g stroke="#78716c" stroke-width="3" stroke-linecap="round">
    <path d="M56 89v6M68 89v6M80 89v6M92 89v6M104 89v6M116 89v6M128 89v6M140 89v6M152 89v6M164 89v6M176 89v6M188 89v6" />
  </g>
  <circle cx="174" cy="118" r="6" fill="#d97706" />
  <rect x="70" y="114" width="80" height="4" rx="2" fill="#78716c" />`;

const milkFrother = svg`<ellipse cx="120" cy="152" rx="52" ry="6" fill="#3b2a20" opacity="0.1" />
  <rect x="86" y="138" width="68" height="12" rx="5" fill="#292524" />
  <circle cx="140" cy="144" r="3" fill="#4ade80" />
  <path d="M94 132c-20-2-22-44 0-48" fill="none" stroke="#a8a29e" stroke-width="7" stroke-linecap="round" />
  <path d="M96 40h50l-5 92a8 8 0 0 1-8 8h-24a8 8 0 0 1-8-8z" fill="#d6d3d1" />
  <path d="M146 40l16-8v9l-17 7z" fill="#d6d3d1" />
  <rect x="96" y="40" width="10" height="96" rx="5" fill="#e7e5e4" />
  <ellipse cx="121" cy="42" rx="25" ry="5" fill="#fafaf9" />
  <path d="M104 30c4-6 10-6 14 0s10 6 14 0" fill="none" stroke="#e7e5e4" stroke-width="3" stroke-linecap="round" />`;

const ART: Record<string, SVGTemplateResult> = {
  'espresso-pro': espressoPro,
  'grinder-x2': grinder,
  'cold-brew-kit': coldBrewKit,
  'drip-tray': dripTray,
  'milk-frother': milkFrother,
};

export function productArt(slug: string): TemplateResult {
  return html`<svg class="art" viewBox="0 0 240 170" aria-hidden="true" focusable="false">
    ${ART[slug] ?? espressoPro}
  </svg>`;
}

export const beanLogo = html`<svg viewBox="0 0 32 32" width="30" height="30" aria-hidden="true">
  <circle cx="16" cy="16" r="16" fill="#3b2a20" />
  <ellipse cx="16" cy="16" rx="7.5" ry="10.5" fill="#d9a066" transform="rotate(30 16 16)" />
  <path d="M12.2 8.6c3.8 3.6 3.9 10.4 7.6 14.8" fill="none" stroke="#3b2a20" stroke-width="2" stroke-linecap="round" />
</svg>`;

export const cartIcon = html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"
  fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
  <path d="M3 4h2l2.2 10.2a1.5 1.5 0 0 0 1.5 1.2h8.6a1.5 1.5 0 0 0 1.5-1.1L20.5 8H6.1" />
  <circle cx="9.5" cy="19.5" r="1.3" /><circle cx="17" cy="19.5" r="1.3" />
</svg>`;

export const searchIcon = html`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
  fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
  <circle cx="11" cy="11" r="6.5" /><path d="m20 20-4.2-4.2" />
</svg>`;

export const checkIcon = html`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"
  fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round">
  <path d="m5 12.5 4.5 4.5L19 7.5" />
</svg>`;
