import { createHash } from 'node:crypto';

/**
 * A stand-in for Drupal 7's own password check, written for the tests from [D7] includes/password.inc
 * (7.100) and independent of src/: _password_itoa64, _password_base64_encode, _password_crypt,
 * _password_get_count_log2 and user_check_password, including `U$` (a D6 MD5 wrapped by
 * user_update_7000) and `$P$`/`$H$` (phpass MD5). Strings are PHP byte strings (latin1 Buffers here).
 * The iteration count comes from the stored hash, as in Drupal.
 */
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** _password_base64_encode(): each 3 bytes as a little-endian 24-bit number, 6 bits a character; a last 1 or 2 bytes give 2 or 3. */
function base64Encode(input: Buffer, count: number): string {
  let output = '';
  for (let i = 0; i < count; i += 3) {
    const group = input.subarray(i, Math.min(i + 3, count));
    const value = group[0] | ((group[1] ?? 0) << 8) | ((group[2] ?? 0) << 16);
    for (let k = 0; k <= group.length; k++) output += ITOA64[(value >> (6 * k)) & 0x3f];
  }
  return output;
}

/** _password_crypt(): false where PHP returns FALSE. */
function passwordCrypt(algo: 'sha512' | 'md5', password: Buffer, storedSetting: string): string | false {
  if (password.length > 512) return false;
  const setting = storedSetting.substring(0, 12);
  if (setting[0] !== '$' || setting[2] !== '$') return false;
  const countLog2 = ITOA64.indexOf(setting[3] ?? '');
  if (countLog2 < 7 || countLog2 > 30) return false;
  const salt = setting.substring(4, 12);
  if (salt.length !== 8) return false;
  let count = 1 << countLog2;
  let hash = createHash(algo).update(Buffer.concat([Buffer.from(salt, 'latin1'), password])).digest();
  do {
    hash = createHash(algo).update(Buffer.concat([hash, password])).digest();
  } while (--count);
  const output = setting + base64Encode(hash, hash.length);
  const expected = 12 + Math.ceil((8 * hash.length) / 6);
  return output.length === expected ? output.substring(0, 55) : false;
}

/** user_check_password($password, $account) over the legacy `users.pass` value. */
export function drupal7CheckPassword(password: string, pass: string): boolean {
  let candidate = Buffer.from(password, 'utf8');
  let stored = pass;
  if (pass.substring(0, 2) === 'U$') {
    stored = pass.substring(1);
    candidate = Buffer.from(createHash('md5').update(candidate).digest('hex'), 'latin1');
  }
  const type = stored.substring(0, 3);
  let hash: string | false;
  if (type === '$S$') hash = passwordCrypt('sha512', candidate, stored);
  else if (type === '$H$' || type === '$P$') hash = passwordCrypt('md5', candidate, stored);
  else return false;
  return hash !== false && hash === stored;
}

/** _password_get_count_log2() of a stored hash. */
export function drupal7CountLog2(pass: string): number {
  return ITOA64.indexOf(pass[3] ?? '');
}

/** A `$S$` hash as user_hash_password() makes it, for a fixed 8-character salt (what Drupal's own pages write). */
export function drupal7HashPassword(password: string, countLog2: number, salt = 'SaLt.Drp'): string {
  const hash = passwordCrypt('sha512', Buffer.from(password, 'utf8'), `$S$${ITOA64[countLog2]}${salt}`);
  if (hash === false) throw new Error('unhashable');
  return hash;
}
