import { phpTruthy } from '../../lib/php-values.js';
import { DRUPAL_SITE_DEFAULTS } from '../../config/config.js';
import type { VariableRepository } from '../ports.js';

/**
 * Site settings as one request sees them: the database's `variable` rows win; where a name has no row,
 * the deployment's site defaults (file/env) apply, then Drupal 7's own defaults.
 */
const built = new WeakMap<object, WeakMap<object, SiteSettings>>();

export class SiteSettings {
  private readonly values: Readonly<Record<string, unknown>>;

  /** `explicit` = what the site has set (database, else deployment defaults), without Drupal's code defaults. */
  private constructor(private readonly explicit: Readonly<Record<string, unknown>>) {
    this.values = { ...DRUPAL_SITE_DEFAULTS, ...explicit };
  }

  static async load(variables: VariableRepository, deploymentDefaults: Readonly<Record<string, unknown>>): Promise<SiteSettings> {
    const stored = await variables.all();
    // The same stored map (a cached read) and defaults give the same settings: build them once.
    const byDefaults = built.get(stored);
    const hit = byDefaults?.get(deploymentDefaults);
    if (hit) return hit;
    const settings = new SiteSettings({ ...deploymentDefaults, ...stored });
    if (byDefaults) byDefaults.set(deploymentDefaults, settings);
    else built.set(stored, new WeakMap([[deploymentDefaults, settings]]));
    return settings;
  }

  static of(values: Record<string, unknown>): SiteSettings {
    return new SiteSettings({ ...values });
  }

  /** A variable as variable_get() sees it: undefined when the site never set it. */
  stored(name: string): unknown { return this.explicit[name]; }

  raw(name: string): unknown { return this.values[name]; }

  string(name: string, fallback = ''): string {
    const v = this.values[name];
    return v === undefined || v === null ? fallback : String(v);
  }

  int(name: string, fallback = 0): number {
    const v = Number(this.values[name]);
    return Number.isFinite(v) ? Math.trunc(v) : fallback;
  }

  /** PHP truthiness, as variable_get() results are used in Drupal. */
  flag(name: string): boolean {
    return phpTruthy(this.values[name]);
  }

  /** user_register: 0 administrators only, 1 visitors, 2 visitors with approval. */
  get registerMode(): 0 | 1 | 2 {
    const v = this.int('user_register', 2);
    return v === 0 || v === 1 ? v : 2;
  }
  get emailVerification(): boolean { return this.flag('user_email_verification'); }
  get siteName(): string { return this.string('site_name'); }
  get siteMail(): string { return this.string('site_mail'); }
}
