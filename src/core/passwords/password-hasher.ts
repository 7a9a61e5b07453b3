/**
 * The password hasher the domain uses.
 *
 * - New hashes are argon2id (`@node-rs/argon2`: computed on libuv's thread pool, off the event loop).
 * - verify() dispatches on the stored format: `$argon2id$…` (and the other argon2 variants), any Drupal 7
 *   format (`$S$`, `$P$`, `$H$`, `U$…`; drupal-hash.ts) or bcrypt (`$2y$`, Drupal 10.1+; legacy-hash.ts).
 *   Legacy formats are checked on worker threads (legacy-hash-pool.ts), never on the event loop.
 * - needsRehash() is true for every Drupal and bcrypt format (upgrade on next successful login, as D7's
 *   user_needs_new_hash does for its own legacy formats) and for argon2 hashes weaker than the configured
 *   parameters or of another variant/version.
 * - An empty or unrecognised stored hash never verifies; malformed argon2 strings verify as false.
 *
 * Drupal trims a password before saving it (user_save) but checks the raw input at login; hash() does
 * not trim, so callers that save passwords must trim first, exactly like Drupal.
 */
import { Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { isLegacyHash } from './legacy-hash.js';
import { verifyLegacyInWorker } from './legacy-hash-pool.js';

export interface PasswordHasher {
  hash(plain: string): Promise<string>;
  verify(plain: string, stored: string): Promise<boolean>;
  needsRehash(stored: string): boolean;
}

export interface Argon2Params {
  /** KiB of memory; default 19456 (19 MiB, OWASP recommendation). */
  memoryCost?: number;
  /** Passes; default 2. */
  timeCost?: number;
  /** Lanes; default 1. */
  parallelism?: number;
}

export const DEFAULT_ARGON2: Required<Argon2Params> = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

/** Argon2 version 0x13, the only one @node-rs/argon2 emits. */
const ARGON2_VERSION = 19;

interface PhcParams { variant: string; version: number; m: number; t: number; p: number }

/** Parses `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`; null when it is not such a string. */
export function parseArgon2Hash(stored: string): PhcParams | null {
  const m = /^\$(argon2(?:id|i|d))\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.exec(stored);
  if (!m) return null;
  return { variant: m[1], version: m[2] === undefined ? 16 : Number(m[2]), m: Number(m[3]), t: Number(m[4]), p: Number(m[5]) };
}

export function isArgon2Hash(stored: string): boolean {
  return typeof stored === 'string' && stored.startsWith('$argon2');
}

export function createPasswordHasher(o: { argon2?: Argon2Params } = {}): PasswordHasher {
  const params: Required<Argon2Params> = { ...DEFAULT_ARGON2, ...stripUndefined(o.argon2 ?? {}) };
  return {
    hash(plain: string): Promise<string> {
      return argon2Hash(plain, { algorithm: Algorithm.Argon2id, ...params });
    },
    async verify(plain: string, stored: string): Promise<boolean> {
      if (typeof plain !== 'string' || typeof stored !== 'string' || stored === '') return false;
      if (isArgon2Hash(stored)) {
        try {
          return await argon2Verify(stored, plain);
        } catch {
          return false;
        }
      }
      if (isLegacyHash(stored)) return verifyLegacyInWorker(plain, stored);
      return false;
    },
    needsRehash(stored: string): boolean {
      if (typeof stored !== 'string' || stored === '') return false;
      const phc = parseArgon2Hash(stored);
      if (phc) {
        return phc.variant !== 'argon2id' || phc.version !== ARGON2_VERSION
          || phc.m < params.memoryCost || phc.t < params.timeCost || phc.p < params.parallelism;
      }
      // Drupal formats (and anything else we cannot produce) are upgraded on the next successful login.
      return true;
    },
  };
}

/** argon2id with minimal cost (1 MiB, 1 pass): for tests only. */
export function createFastTestHasher(): PasswordHasher {
  return createPasswordHasher({ argon2: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
}

function stripUndefined(p: Argon2Params): Argon2Params {
  const out: Argon2Params = {};
  if (p.memoryCost !== undefined) out.memoryCost = p.memoryCost;
  if (p.timeCost !== undefined) out.timeCost = p.timeCost;
  if (p.parallelism !== undefined) out.parallelism = p.parallelism;
  return out;
}
