import type { SiteSettings } from '../settings/site-settings.js';

/** system_time_zones(): the zones the profile form offers (PHP's list, filtered by this pattern). */
const OFFERED = /^((Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)\/|UTC$)/;

/** Whether `zone` is one of the form's options: a real zone of an offered region, spelt as the list spells it. */
export function isOfferedTimezone(zone: string): boolean {
  if (!OFFERED.test(zone)) return false;
  let resolved: string;
  try { resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone; } catch { return false; }
  // ICU matches names case-insensitively; PHP's list does not ("Europe/paris" is not an option).
  return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
}

export type TimezoneChoice = { value: string | null; error: boolean } | null;

/**
 * The profile form's time zone select (system_user_timezone), when the site lets users pick one
 * (`configurable_timezones`, on by default; off: no element, the stored zone stays as it is). Its default is
 * the stored zone, else the site's zone on one's own account and '' ("- None selected -") on another's;
 * '' is an option only when editing another account. A submitted value that is no option is an illegal
 * choice; null counts as not submitted. Returns null when there is no element.
 */
export function timezoneChoice(settings: SiteSettings, stored: string | null, own: boolean, values: Record<string, unknown>): TimezoneChoice {
  if (!settings.flag('configurable_timezones')) return null;
  const submitted = values.timezone;
  if (submitted === undefined || submitted === null) {
    return { value: stored ?? (own ? settings.string('date_default_timezone', '') : ''), error: false };
  }
  if (typeof submitted !== 'string' && typeof submitted !== 'number') return { value: stored, error: true };
  const zone = String(submitted);
  const allowed = zone === '' ? !own : isOfferedTimezone(zone);
  return { value: allowed ? zone : stored, error: !allowed };
}

/**
 * The registration form's time zone (system_form_user_register_form_alter): none without
 * `configurable_timezones` (the column stays NULL); with `user_default_timezone` = 2 the profile's select
 * (a visitor registering edits "their own" new account: the site's zone by default, no empty option; an
 * administrator gets the empty option); otherwise a fixed value: '' for 1, the site's zone for 0.
 */
export function registrationTimezone(settings: SiteSettings, values: Record<string, unknown>, visitor: boolean): { value: string | null; error: boolean } {
  if (!settings.flag('configurable_timezones')) return { value: null, error: false };
  const mode = settings.int('user_default_timezone', 0);
  if (mode === 2) return timezoneChoice(settings, null, visitor, values) ?? { value: null, error: false };
  return { value: mode === 1 ? '' : settings.string('date_default_timezone', ''), error: false };
}
