/**
 * The signature element of user_profile_form is a text_format element: its value comes from the input's
 * `signature[value]` (and `signature[format]`). A flat string has no such path, so the element keeps the
 * stored signature — recorded on site B: `{"signature": "…"}` answers 200 and changes nothing.
 */
export function signatureInput(input: unknown): { value: string; format: string | null } | null {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return null;
  const map = input as Record<string, unknown>;
  if (!('value' in map)) return null;
  const value = map.value;
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const format = typeof map.format === 'string' && map.format !== '' ? map.format : null;
  return { value: text, format };
}
