/**
 * Drupal 7 password hashes ([D7] includes/password.inc; modules/user/user.module user_check_password,
 * user_needs_new_hash). Ported byte for byte:
 *
 * - `$S$` native D7: phpass construction with SHA-512, 2^log2 rounds (log2 encoded at offset 3, default
 *   15 → `D`), 8-character ASCII salt, output truncated to 55 characters (DRUPAL_HASH_LENGTH).
 * - `$P$` / `$H$` (phpass / phpBB3, e.g. imported from D6 modules): same construction with MD5, 34 chars.
 * - `U$…`: a D6 plain-MD5 hash wrapped by user_update_7000(): the candidate password is replaced by its
 *   lowercase hex MD5, then the rest is checked as above.
 * - Anything else (including bare 32-hex MD5 rows, which D7 converts during the upgrade) never verifies.
 *
 * Passwords are hashed as their UTF-8 bytes; a password over 512 bytes cannot be hashed (check fails).
 *
 * Cost: `$S$D` is 32,768 SHA-512 rounds, measured at ~70–100 ms of CPU per check on an idle 2-vCPU x86 VM
 * (Node 20; up to ~200 ms when the machine is loaded)
 * (see test/unit/core/drupal-hash.test.ts, which logs the measured figure); the async functions below run
 * the same loop in slices and yield to the event loop between slices so no single tick blocks for long.
 */
import { createHash, randomBytes } from 'node:crypto';

export const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const DRUPAL_HASH_COUNT = 15;
export const DRUPAL_MIN_HASH_COUNT = 7;
export const DRUPAL_MAX_HASH_COUNT = 30;
export const DRUPAL_HASH_LENGTH = 55;
/** Passwords longer than this many bytes are rejected by _password_crypt(). */
export const PASSWORD_MAX_LENGTH = 512;

type Algo = 'sha512' | 'md5';

/** _password_base64_encode(): phpass little-endian base64 over ITOA64, no padding. */
export function passwordBase64Encode(input: Uint8Array, count: number = input.length): string {
  let output = '';
  let i = 0;
  do {
    let value = input[i++];
    output += ITOA64[value & 0x3f];
    if (i < count) value |= input[i] << 8;
    output += ITOA64[(value >> 6) & 0x3f];
    if (i++ >= count) break;
    if (i < count) value |= input[i] << 16;
    output += ITOA64[(value >> 12) & 0x3f];
    if (i++ >= count) break;
    output += ITOA64[(value >> 18) & 0x3f];
  } while (i < count);
  return output;
}

/** _password_enforce_log2_boundaries(). */
export function enforceLog2Boundaries(countLog2: number): number {
  if (countLog2 < DRUPAL_MIN_HASH_COUNT) return DRUPAL_MIN_HASH_COUNT;
  if (countLog2 > DRUPAL_MAX_HASH_COUNT) return DRUPAL_MAX_HASH_COUNT;
  return countLog2;
}

/** _password_get_count_log2(): position of the 4th character in ITOA64 (-1 if absent). */
export function passwordCountLog2(setting: string): number {
  return ITOA64.indexOf(setting.charAt(3));
}

/** _password_generate_salt(): `$S$` + log2 character + 8-character salt (6 random bytes). */
export function generateDrupalSetting(countLog2: number = DRUPAL_HASH_COUNT, saltBytes?: Uint8Array): string {
  const salt = saltBytes ?? randomBytes(6);
  if (salt.length !== 6) throw new RangeError('generateDrupalSetting: the salt must be 6 bytes');
  return '$S$' + ITOA64[enforceLog2Boundaries(countLog2)] + passwordBase64Encode(salt, 6);
}

interface CryptPlan { algo: Algo; setting: string; salt: Buffer; password: Buffer; rounds: number }

/** The checks at the top of _password_crypt(); null where PHP returns FALSE. */
function plan(algo: Algo, password: string | Buffer, setting: string): CryptPlan | null {
  const pw = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  if (pw.length > PASSWORD_MAX_LENGTH) return null;
  const s = setting.substring(0, 12);
  if (s.charAt(0) !== '$' || s.charAt(2) !== '$') return null;
  const countLog2 = passwordCountLog2(s);
  if (countLog2 < DRUPAL_MIN_HASH_COUNT || countLog2 > DRUPAL_MAX_HASH_COUNT) return null;
  const salt = s.substring(4, 12);
  if (salt.length !== 8) return null;
  return { algo, setting: s, salt: Buffer.from(salt, 'latin1'), password: pw, rounds: 2 ** countLog2 };
}

function digest(algo: Algo, a: Buffer, b: Buffer): Buffer {
  return createHash(algo).update(a).update(b).digest();
}

function finish(p: CryptPlan, hash: Buffer): string | null {
  const output = p.setting + passwordBase64Encode(hash, hash.length);
  const expected = 12 + Math.ceil((8 * hash.length) / 6);
  return output.length === expected ? output.substring(0, DRUPAL_HASH_LENGTH) : null;
}

/** _password_crypt() (synchronous). Returns null where Drupal returns FALSE. */
export function passwordCrypt(algo: Algo, password: string | Buffer, setting: string): string | null {
  const p = plan(algo, password, setting);
  if (!p) return null;
  let hash = digest(algo, p.salt, p.password);
  for (let n = p.rounds; n > 0; n--) hash = digest(algo, hash, p.password);
  return finish(p, hash);
}

/** Rounds computed between two yields to the event loop in the async variant. */
const ROUNDS_PER_SLICE = 2048;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** _password_crypt(), yielding to the event loop every few thousand rounds. */
export async function passwordCryptAsync(algo: Algo, password: string | Buffer, setting: string): Promise<string | null> {
  const p = plan(algo, password, setting);
  if (!p) return null;
  let hash = digest(algo, p.salt, p.password);
  let n = p.rounds;
  while (n > 0) {
    const stop = Math.max(0, n - ROUNDS_PER_SLICE);
    for (; n > stop; n--) hash = digest(algo, hash, p.password);
    if (n > 0) await yieldToLoop();
  }
  return finish(p, hash);
}

/** True for every stored format user_check_password() knows how to check. */
export function isDrupalHash(stored: string): boolean {
  const s = stored.startsWith('U$') ? stored.substring(1) : stored;
  const type = s.substring(0, 3);
  return type === '$S$' || type === '$P$' || type === '$H$';
}

/** user_check_password() without the hashing: which algorithm, which candidate, which stored hash. */
function prepareCheck(password: string, stored: string): { algo: Algo; candidate: string | Buffer; storedHash: string } | null {
  if (typeof password !== 'string' || typeof stored !== 'string' || stored === '') return null;
  let storedHash = stored;
  let candidate: string | Buffer = password;
  if (stored.substring(0, 2) === 'U$') {
    storedHash = stored.substring(1);
    candidate = createHash('md5').update(password, 'utf8').digest('hex');
  }
  const type = storedHash.substring(0, 3);
  if (type === '$S$') return { algo: 'sha512', candidate, storedHash };
  if (type === '$P$' || type === '$H$') return { algo: 'md5', candidate, storedHash };
  return null;
}

/** user_check_password(), synchronous (blocks for the whole hash loop). */
export function drupalCheckPasswordSync(password: string, stored: string): boolean {
  const c = prepareCheck(password, stored);
  if (!c) return false;
  const hash = passwordCrypt(c.algo, c.candidate, c.storedHash);
  return hash !== null && hash === c.storedHash;
}

/** user_check_password(), yielding to the event loop while hashing. */
export async function drupalCheckPassword(password: string, stored: string): Promise<boolean> {
  const c = prepareCheck(password, stored);
  if (!c) return false;
  const hash = await passwordCryptAsync(c.algo, c.candidate, c.storedHash);
  return hash !== null && hash === c.storedHash;
}

/**
 * user_hash_password(): a new `$S$` hash (55 characters). `salt` (6 bytes, or a full 12-character
 * setting such as `$S$Dabcdefgh`) is for tests and reproducible fixtures only. Returns null for a
 * password over 512 bytes, as Drupal does. Drupal trims the password before saving (user_save); do
 * that in the caller.
 */
export function drupalHash(password: string, countLog2: number = DRUPAL_HASH_COUNT, salt?: Uint8Array | string): string | null {
  const setting = typeof salt === 'string' ? salt : generateDrupalSetting(countLog2, salt);
  return passwordCrypt('sha512', password, setting);
}

/** user_hash_password(), yielding to the event loop while hashing. */
export async function drupalHashAsync(password: string, countLog2: number = DRUPAL_HASH_COUNT, salt?: Uint8Array | string): Promise<string | null> {
  const setting = typeof salt === 'string' ? salt : generateDrupalSetting(countLog2, salt);
  return passwordCryptAsync('sha512', password, setting);
}

/**
 * user_needs_new_hash(): true unless the stored hash is a 55-character `$S$` hash whose iteration
 * character equals the clamped `countLog2` (variable `password_count_log2`, default 15).
 */
export function drupalHashNeedsRehash(stored: string, countLog2: number = DRUPAL_HASH_COUNT): boolean {
  if (stored.substring(0, 3) !== '$S$' || stored.length !== DRUPAL_HASH_LENGTH) return true;
  return passwordCountLog2(stored) !== enforceLog2Boundaries(countLog2);
}
