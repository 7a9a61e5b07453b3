import { DRUPAL_SITE_DEFAULTS } from '../../config/config.js';

/** Where a site setting in effect comes from, strongest first. */
export type SettingSource = 'database' | 'configuration' | 'default';

export interface EffectiveSetting {
  name: string;
  /** What the server uses now. */
  value: unknown;
  /** Drupal 7's default (null when Drupal has none for this name). */
  default: unknown;
  /** `database`: stored (set_variable, `variable set`, an import); `configuration`: the file or GATEHOUSE_* environment; `default`: Drupal's. */
  source: SettingSource;
}

/** The settings in effect, the way SiteSettings merges them: the database over the configuration over Drupal's defaults. */
export function effectiveSettings(stored: Readonly<Record<string, unknown>>, configured: Readonly<Record<string, unknown>>): EffectiveSetting[] {
  const names = [...new Set([...Object.keys(DRUPAL_SITE_DEFAULTS), ...Object.keys(configured), ...Object.keys(stored)])].sort();
  return names.map((name) => effectiveSetting(name, stored, configured));
}

export function effectiveSetting(name: string, stored: Readonly<Record<string, unknown>>, configured: Readonly<Record<string, unknown>>): EffectiveSetting {
  const fallback = DRUPAL_SITE_DEFAULTS[name] ?? null;
  if (Object.hasOwn(stored, name)) return { name, value: stored[name], default: fallback, source: 'database' };
  if (Object.hasOwn(configured, name)) return { name, value: configured[name], default: fallback, source: 'configuration' };
  return { name, value: fallback, default: fallback, source: 'default' };
}
