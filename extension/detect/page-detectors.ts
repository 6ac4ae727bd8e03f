import { matchesAny } from '../../shared/match-pattern';
import type { PageSettings } from '../../shared/page-settings';
import type { Detector } from './detector';
import { compileRules } from './rules';

/** The part of `Location` detectors decide by. */
export type PageLocation = Pick<Location, 'hostname' | 'pathname' | 'href'>;

/**
 * Where a frame's document really comes from. A softphone a CRM page builds in an `about:blank`
 * or `srcdoc` frame (or a `blob:` one) has no URL of its own: it is the page that made it, so it
 * is read by that page's detectors and rules. Its parent's address when the parent is of the same
 * origin (it is, for such frames), else the origin the frame inherited.
 */
export function pageLocation(win: Window): PageLocation {
  const own = win.location;
  if (own.protocol === 'http:' || own.protocol === 'https:') return own;
  try {
    const parent = win.parent.location;
    if (parent.protocol === 'http:' || parent.protocol === 'https:')
      return { hostname: parent.hostname, pathname: parent.pathname, href: parent.href };
  } catch {
    // A cross-origin parent: only the inherited origin is known.
  }
  try {
    const origin = new URL(win.origin);
    return { hostname: origin.hostname, pathname: '/', href: `${origin.origin}/` };
  } catch {
    return own;
  }
}

/**
 * The detectors a page runs with the current settings: the admin's rules for it first (an admin
 * who describes a page knows it better than our defaults), then the built-in ones. With
 * `tenantMatches` set, built-in detectors read only the organisation's own tenants (and its CRM
 * pages). A caller in the page's URL (`?ani=`, `?phone=`) counts only on the CRM pages and on
 * admin-rule pages: a link to any other page must not put a caller in front of the agent.
 */
export function pageDetectors(
  builtIn: readonly Detector[],
  settings: PageSettings | undefined,
  where: PageLocation,
  doc: Document,
): Detector[] {
  const rules = settings
    ? compileRules(settings.detectionRules, doc).detectors.filter((d) => d.applies(where))
    : [];
  const isCrm = settings ? matchesAny(where.href, settings.crmMatches) : false;
  const tenants = settings?.tenantMatches ?? [];
  const ownTenant = tenants.length === 0 || isCrm || matchesAny(where.href, tenants);
  const urlPops = isCrm || rules.length > 0;
  const platforms = ownTenant
    ? builtIn
        .filter((d) => d.applies(where))
        .map((d): Detector => (urlPops ? d : { ...d, read: (page) => d.read(page, undefined) }))
    : [];
  return [...rules, ...platforms];
}

/** The settings that decide which detectors a page runs, to restart them only when these change. */
export function detectionKey(settings: PageSettings | undefined): string {
  if (!settings) return '';
  const { detectionRules, crmMatches, tenantMatches } = settings;
  return JSON.stringify([detectionRules, crmMatches, tenantMatches]);
}
