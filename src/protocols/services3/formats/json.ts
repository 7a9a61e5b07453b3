/**
 * The `json` response format: PHP json_encode() with JSON_PARTIAL_OUTPUT_ON_ERROR, as ServicesJSONFormatter
 * calls it: a scalar result is wrapped in a one-element array, `\/` is turned back into `/`.
 */
import { phpJsonEncode } from '../../../lib/php-json.js';
import { phpKind } from '../../../lib/php-values.js';
import type { Formatter } from './index.js';

export { phpJsonEncode };

/** ServicesJSONFormatter::render(): scalars (string, number, bool) become `[value]`; null stays `null`. */
export function renderJson(data: unknown): string {
  const kind = phpKind(data);
  const isScalar = kind === 'bool' || kind === 'int' || kind === 'float' || kind === 'string';
  return phpJsonEncode(isScalar ? [data] : data);
}

export const jsonFormatter: Formatter = {
  name: 'json',
  mimeTypes: ['application/json'],
  render: (data) => renderJson(data),
};
