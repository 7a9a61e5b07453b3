/** The `php` response format (ServicesPHPFormatter): PHP serialize() of the result. */
import { phpSerialize } from '../../../lib/php-serialize.js';
import type { Formatter } from './index.js';

export const phpFormatter: Formatter = {
  name: 'php',
  mimeTypes: ['application/vnd.php.serialized'],
  render: (data) => phpSerialize(data),
};
