/**
 * The site's name/mail comparison rule: Drupal compares names and mails in SQL, so the source database's
 * collation is part of the site. Two comparisons, per operation as Drupal makes them:
 * - `=` (login, request_new_password, index filters) follows the collation;
 * - `LIKE` (name and mail uniqueness, the blocked check) is case-insensitive on every database (MySQL's `_ci`
 *   collations, PostgreSQL's ILIKE, SQLite's `/i` LIKE) and accent-insensitive only under a general_ci
 *   collation (a `_bin` MySQL collation keeps LIKE exact, as MySQL does).
 * Storage keeps the LIKE key of every name and mail (indexed); `=` either compares that key (when the
 * collation's `=` and LIKE fold alike) or the raw column.
 */
import { GENERAL_CI_EXCEPTIONS } from './general-ci-weights.js';

/** The site setting that names the rule (set by the import from the source database; see docs/import.md). */
export const COLLATION_VARIABLE = 'gatehouse_collation';
/** A site with no rule configured or imported: case-insensitive `=` and LIKE (Gatehouse's former default). */
export const DEFAULT_COLLATION = 'lowercase';

/** How a stored key is computed from a value; stored keys are valid as long as this stays the same. */
export type KeyFold = 'general_ci' | 'lower' | 'ascii_lower' | 'exact';

export interface Collation {
  /** The rule's name as configured (`utf8mb3_general_ci`, `pgsql`, …). */
  readonly rule: string;
  readonly fold: KeyFold;
  /** The LIKE key: two values are equal for Drupal's LIKE checks when their keys are. */
  likeKey(value: string): string;
  /** `=` compares the LIKE key (`key`) or the value itself (`exact`). */
  readonly equality: 'key' | 'exact';
  /** What `=` compares for a submitted value (the key, or the value), trailing spaces dropped where the collation pads. */
  equalValue(value: string): string;
  /** True when the rule only approximates the named collation (reported by the import). */
  readonly approximate: boolean;
}

let weights: Uint16Array | null = null;

/** utf8_general_ci's weight table (BMP), built once from the generated exceptions. */
function generalCiWeights(): Uint16Array {
  if (weights) return weights;
  const table = new Uint16Array(65536);
  for (let i = 0; i < 65536; i++) table[i] = i;
  for (let i = 0; i < GENERAL_CI_EXCEPTIONS.length; i += 8) {
    table[Number.parseInt(GENERAL_CI_EXCEPTIONS.slice(i, i + 4), 16)] = Number.parseInt(GENERAL_CI_EXCEPTIONS.slice(i + 4, i + 8), 16);
  }
  weights = table;
  return table;
}

/**
 * A value's utf8_general_ci key: each character replaced by its weight (case and accents folded: `José Müller`
 * and `JOSE MULLER` both give `JOSE MULLER`, `ß` gives `S`); characters beyond the BMP weigh U+FFFD, as in
 * utf8mb4_general_ci (a utf8mb3 column cannot hold them at all).
 */
export function generalCiKey(value: string): string {
  const table = generalCiWeights();
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number;
    out += String.fromCharCode(cp > 0xffff ? 0xfffd : table[cp]);
  }
  return out;
}

const trimPad = (s: string): string => s.replace(/ +$/, '');
const FOLDS: Record<KeyFold, (s: string) => string> = {
  general_ci: generalCiKey,
  lower: (s) => s.toLowerCase(),
  ascii_lower: (s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase()),
  exact: (s) => s,
};

function rule(name: string, fold: KeyFold, equality: 'key' | 'exact', pads: boolean, approximate = false): Collation {
  const likeKey = FOLDS[fold];
  return {
    rule: name, fold, likeKey, equality, approximate,
    equalValue: (v) => {
      const compared = equality === 'key' ? likeKey(v) : v;
      return pads ? trimPad(compared) : compared;
    },
  };
}

/**
 * The rule a collation name stands for:
 * - MySQL `utf8_general_ci`/`utf8mb3_general_ci`/`utf8mb4_general_ci`: general_ci folding for both, `=` pads;
 * - other MySQL `_ci` collations (`utf8mb4_unicode_ci`, `utf8mb4_0900_ai_ci`, …): approximated by general_ci
 *   (they differ on expansions such as `ß` = `ss`);
 * - MySQL `_bin`/`_cs` and `binary`: exact for both (`=` pads, except the NO PAD `0900` ones);
 * - `pgsql` (a PostgreSQL source): exact `=`, LIKE case-insensitive (Drupal's pgsql driver uses ILIKE);
 * - `sqlite` (a SQLite source): exact `=`, LIKE ASCII-case-insensitive (Drupal's sqlite LIKE is a `/i` regex);
 * - `lowercase`: case-insensitive `=` and LIKE (Gatehouse's default for a site that names none).
 * Returns null for a name it does not know.
 */
export function collationFor(name: string): Collation | null {
  const n = name.trim().toLowerCase();
  if (n === 'lowercase') return rule(n, 'lower', 'key', false);
  if (n === 'pgsql') return rule(n, 'lower', 'exact', false);
  if (n === 'sqlite') return rule(n, 'ascii_lower', 'exact', false);
  if (n === 'binary' || /^[a-z0-9]+_(bin|cs)$|_0900_(bin|as_cs)$/.test(n)) return rule(n, 'exact', 'exact', !n.includes('_0900_'), n.endsWith('_cs'));
  if (/^utf8(mb3|mb4)?_general_ci$/.test(n)) return rule(n, 'general_ci', 'key', true);
  if (/^[a-z0-9]+_[a-z0-9_]*ci$/.test(n)) return rule(n, 'general_ci', 'key', !n.includes('_0900_'), true);
  return null;
}

/**
 * The rules of the two compared columns. A Drupal 7 `users` table has one collation for both, so the setting is
 * usually one name; `{"name": …, "mail": …}` gives each column its own (a column altered on the source).
 */
export interface SiteCollation { readonly name: Collation; readonly mail: Collation }

/** The rules a site setting names; the default when unset; an error for an unknown name. */
export function siteCollation(value: unknown): SiteCollation {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { name, mail } = value as Record<string, unknown>;
    return { name: oneRule(name), mail: oneRule(mail) };
  }
  const both = oneRule(value);
  return { name: both, mail: both };
}

/** The setting's value for rules (one name when both columns share it). */
export function collationSetting(rules: SiteCollation): string | { name: string; mail: string } {
  return rules.name.rule === rules.mail.rule ? rules.name.rule : { name: rules.name.rule, mail: rules.mail.rule };
}

function oneRule(value: unknown): Collation {
  if (value === undefined || value === null || value === '') return collationFor(DEFAULT_COLLATION) as Collation;
  const found = typeof value === 'string' ? collationFor(value) : null;
  if (!found) throw new Error(`unknown ${COLLATION_VARIABLE} ${JSON.stringify(value)}: use a MySQL collation name (utf8mb3_general_ci, utf8mb4_bin, …), pgsql, sqlite or lowercase`);
  return found;
}
