import { phpUnserialize } from '../../lib/php-serialize.js';

/** users.data as user_load() hands it out: the PHP-serialized value decoded, `false` when empty or unreadable. */
export function decodeUserData(text: string | null): unknown {
  if (text === null || text === '') return false;
  try { return phpUnserialize(text); } catch { return false; }
}
