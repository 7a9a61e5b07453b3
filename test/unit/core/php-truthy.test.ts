import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SiteSettings } from '../../../src/core/settings/site-settings.js';
import { markPhpObject, phpTruthy } from '../../../src/lib/php-values.js';

test('phpTruthy follows PHP: empty arrays are false, an empty stdClass object is true', () => {
  const falsy = [undefined, null, false, 0, -0, '', '0', [], {}];
  const truthy = [true, 1, -1, 0.5, '00', ' ', 'false', '0.0', [0], { a: 0 }, markPhpObject({}), Number.NaN];
  for (const v of falsy) assert.equal(phpTruthy(v), false, JSON.stringify(v));
  for (const v of truthy) assert.equal(phpTruthy(v), true, String(v));
});

test('site settings flags use the same rule (one place decides)', () => {
  const settings = SiteSettings.of({ a: [], b: {}, c: '0', d: 'on', e: markPhpObject({}) });
  assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'missing'].map((k) => settings.flag(k)), [false, false, false, true, true, false]);
});
