import { randomKey } from '../crypto/random-key.js';
import type { VariableRepository } from '../ports.js';

/** The secrets CSRF tokens and one-time links are keyed with (Drupal's private key and hash salt). */
export interface SiteKeys { privateKey: string; hashSalt: string }

/**
 * Reads the keys, creating them on first use. Both are stored as variables so an import can bring the
 * site's own (`drupal_private_key`, and the settings.php salt as `drupal_hash_salt`); a hash salt in the
 * deployment configuration wins, as settings.php does in Drupal.
 */
export async function loadSiteKeys(variables: VariableRepository, configuredSalt: string | null): Promise<SiteKeys> {
  const privateKey = String(await variables.setIfAbsent('drupal_private_key', randomKey()));
  const hashSalt = configuredSalt ?? String(await variables.setIfAbsent('drupal_hash_salt', randomKey()));
  return { privateKey, hashSalt };
}
