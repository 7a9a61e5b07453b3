/**
 * Remembers the results of a pure string function, for at most `max` keys (the oldest forgotten first).
 * For the per-request hashes of a session id (its `sessions.sid`, its CSRF token): the same few ids come back
 * on every request, and a flood of made-up ids only turns the oldest entries over. Keys longer than
 * `maxKeyLength` are not remembered, so the memory held stays under max × maxKeyLength characters.
 */
export function boundedMemo(fn: (key: string) => string, max = 10_000, maxKeyLength = 512): (key: string) => string {
  const remembered = new Map<string, string>();
  return (key) => {
    if (key.length > maxKeyLength) return fn(key);
    let value = remembered.get(key);
    if (value === undefined) {
      value = fn(key);
      if (remembered.size >= max) remembered.delete(remembered.keys().next().value as string);
      remembered.set(key, value);
    }
    return value;
  };
}
