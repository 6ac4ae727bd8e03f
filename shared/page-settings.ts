import type { DetectionRule, ExtensionConfig, SidebarPlacement } from './config';

/**
 * What content scripts need of the config, published by the background in `storage.local` each
 * time the effective config changes (docs/architecture.md, "Settings that reach open tabs").
 * Content scripts read it when they start and follow `storage.onChanged`, so a tab opened before
 * the policy was read (browser start, first install) or before the admin changed it picks the new
 * rules up without a reload, and without waking the worker.
 */
export const PAGE_SETTINGS_KEY = 'pageSettings';

export interface PageSettings {
  detectionRules: DetectionRule[];
  crmMatches: string[];
  tenantMatches: string[];
  sidebarPlacement: SidebarPlacement;
}

export function pageSettingsOf(config: ExtensionConfig): PageSettings {
  return {
    detectionRules: config.detectionRules,
    crmMatches: config.crmMatches,
    tenantMatches: config.tenantMatches,
    sidebarPlacement: config.sidebarPlacement,
  };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/**
 * What a content script read from storage, checked: storage is shared with every content script,
 * so the shape is not taken on trust. `undefined` when nothing was published yet (a first
 * install before the policy was read).
 */
export function readPageSettings(stored: unknown): PageSettings | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const s = stored as Record<string, unknown>;
  const rules = Array.isArray(s.detectionRules)
    ? s.detectionRules.filter(
        (r): r is DetectionRule =>
          typeof r === 'object' && r !== null && Array.isArray((r as DetectionRule).matches),
      )
    : [];
  return {
    detectionRules: rules,
    crmMatches: strings(s.crmMatches),
    tenantMatches: strings(s.tenantMatches),
    sidebarPlacement: s.sidebarPlacement === 'sidePanel' ? 'sidePanel' : 'page',
  };
}
