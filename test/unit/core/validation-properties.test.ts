import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateUsername } from '../../../src/core/validation/username.js';
import { phpFilterValidateEmail, validateMail } from '../../../src/core/validation/mail.js';
import { readPasswordInput, validatePassword } from '../../../src/core/validation/password.js';

const anyInput = fc.oneof(
  fc.anything(),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'binary-ascii', maxLength: 300 }),
  fc.double(),
  fc.constantFrom('0', ' ', '', '\u00A0', '"@"', 'a@b.c'),
);

test('validators never throw and return the documented shapes on any input', () => {
  fc.assert(fc.property(anyInput, (v) => {
    const name = validateUsername(v);
    assert.ok(name === null || typeof name === 'string');
    const mail = validateMail(v);
    assert.equal(typeof mail.value, 'string');
    assert.ok(mail.error === null || typeof mail.error === 'string');
    const pass = readPasswordInput(v);
    assert.ok(pass === null || (typeof pass.pass1 === 'string' && typeof pass.pass2 === 'string'));
    const perr = validatePassword(pass);
    assert.ok(perr === null || typeof perr === 'string');
    validatePassword(pass, { required: false });
  }), { numRuns: 2000 });
});

test('a valid username is 1-60 characters, untrimmed-equal and has no double space', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 70 }), (s) => {
    if (validateUsername(s) === null) {
      const v = s.replace(/[\r\n]/g, '');
      assert.ok([...v].length >= 1 && [...v].length <= 60);
      assert.ok(!v.startsWith(' ') && !v.endsWith(' ') && !v.includes('  '));
    }
  }), { numRuns: 2000 });
});

test('validateMail: value is the PHP-trimmed textfield value; a null error means FILTER_VALIDATE_EMAIL passes', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary-ascii', maxLength: 60 }), (s) => {
    const r = validateMail(s);
    assert.equal(r.value, s.replace(/[\r\n]/g, '').replace(/^[ \t\0\x0B]+|[ \t\0\x0B]+$/g, ''));
    if (r.error === null) assert.equal(phpFilterValidateEmail(r.value), true);
  }), { numRuns: 2000 });
});

// ---------------------------------------------------------------------------------------------------------
// The port vs. the literal php-src regexp1 (ext/filter/logical_filters.c), on short inputs where the
// literal pattern cannot backtrack catastrophically. Only change: `.` → `[^\n]` (PCRE newline = LF).
// ---------------------------------------------------------------------------------------------------------
const PHP_REGEXP1 = String.raw`^(?!(?:(?:\x22?\x5C[\x00-\x7E]\x22?)|(?:\x22?[^\x5C\x22]\x22?)){255,})(?!(?:(?:\x22?\x5C[\x00-\x7E]\x22?)|(?:\x22?[^\x5C\x22]\x22?)){65,}@)(?:(?:[\x21\x23-\x27\x2A\x2B\x2D\x2F-\x39\x3D\x3F\x5E-\x7E]+)|(?:\x22(?:[\x01-\x08\x0B\x0C\x0E-\x1F\x21\x23-\x5B\x5D-\x7F]|(?:\x5C[\x00-\x7F]))*\x22))(?:\.(?:(?:[\x21\x23-\x27\x2A\x2B\x2D\x2F-\x39\x3D\x3F\x5E-\x7E]+)|(?:\x22(?:[\x01-\x08\x0B\x0C\x0E-\x1F\x21\x23-\x5B\x5D-\x7F]|(?:\x5C[\x00-\x7F]))*\x22)))*@(?:(?:(?!.*[^.]{64,})(?:(?:(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*\.){1,126}){1,}(?:(?:[a-z][a-z0-9]*)|(?:(?:xn--)[a-z0-9]+))(?:-+[a-z0-9]+)*)|(?:\[(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){7})|(?:(?!(?:.*[a-f0-9][:\]]){7,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?)))|(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){5}:)|(?:(?!(?:.*[a-f0-9]:){5,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3}:)?)))?(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))(?:\.(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))){3}))\]))$`;
const LITERAL = new RegExp(PHP_REGEXP1.replaceAll('(?!.*', '(?![^\\n]*').replaceAll('(?:.*', '(?:[^\\n]*'), 'i');
const literal = (s: string): boolean => Buffer.byteLength(s, 'utf8') <= 320 && LITERAL.test(Buffer.from(s, 'utf8').toString('latin1'));

test('phpFilterValidateEmail agrees with the literal PHP pattern on random e-mail-like strings', () => {
  const piece = (alphabet: string, max: number) => fc.array(fc.constantFrom(...alphabet.split('')), { minLength: 1, maxLength: max }).map((a) => a.join(''));
  const atom = piece('aZ09!#+-_=?~', 5);
  const quoted = piece('a \\"@.()x', 5).map((q) => `"${q}"`);
  const local = fc.array(fc.oneof({ weight: 4, arbitrary: atom }, { weight: 1, arbitrary: quoted }), { minLength: 1, maxLength: 3 }).map((a) => a.join('.'));
  const label = fc.oneof(piece('ab09-', 6), piece('ab09', 3).map((x) => `xn--${x}`));
  const tld = fc.oneof(piece('abcz', 4), piece('a0', 3).map((x) => `xn--${x}`), piece('ab0-', 4));
  const hostname = fc.tuple(fc.array(label, { minLength: 0, maxLength: 3 }), tld).map(([ls, t]) => [...ls, t].join('.'));
  const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constant('01'));
  const ipv4 = fc.array(octet, { minLength: 3, maxLength: 5 }).map((a) => a.join('.'));
  const hex = fc.oneof(fc.constant(''), piece('0af9', 5));
  const ipv6 = fc.array(hex, { minLength: 2, maxLength: 9 }).map((a) => `IPv6:${a.join(':')}`);
  const literalHost = fc.oneof(ipv4, ipv6, fc.tuple(ipv6, ipv4).map(([a, b]) => `${a}:${b}`)).map((h) => `[${h}]`);
  const address = fc.tuple(local, fc.oneof({ weight: 4, arbitrary: hostname }, { weight: 1, arbitrary: literalHost })).map(([l, d]) => `${l}@${d}`);
  const mutated = fc.tuple(address, fc.nat(), fc.constantFrom('', '.', '@', '"', '\\', ' ', '-', '\n', '\r', 'ü', '[', ':', 'A'))
    .map(([a, i, c]) => a.slice(0, i % (a.length + 1)) + c + a.slice(i % (a.length + 1)));
  let valid = 0;
  fc.assert(fc.property(fc.oneof(address, mutated), (s) => {
    const ours = phpFilterValidateEmail(s);
    if (ours) valid++;
    assert.equal(ours, literal(s), JSON.stringify(s));
  }), { numRuns: 5000 });
  assert.ok(valid > 500, `only ${valid} valid addresses generated`);
});

test('the local-part length lookaheads agree with the literal pattern at the 64/65 and 254/255 boundaries', () => {
  const cases: string[] = [];
  for (const n of [63, 64, 65, 66]) {
    cases.push('a'.repeat(n) + '@example.com', '"' + 'a'.repeat(n - 2) + '"@example.com', '\\a'.repeat(n) + '@x.com', '"\\a"'.repeat(Math.ceil(n / 2)) + '@x.com');
  }
  for (const n of [60, 62, 63, 64, 65]) cases.push('a@' + ('b'.repeat(n) + '.').repeat(3) + 'com');
  for (const s of cases) assert.equal(phpFilterValidateEmail(s), literal(s), JSON.stringify(s));
  // the 255-unit lookahead spans the WHOLE address: 254 plain characters pass, 255 do not
  const domain = (n: number): string => ('d'.repeat(60) + '.').repeat(3) + 'd'.repeat(n) + '.com';
  const at254 = 'a'.repeat(64) + '@' + domain(2);
  const at255 = 'a'.repeat(64) + '@' + domain(3);
  assert.equal(at254.length, 254);
  assert.equal(phpFilterValidateEmail(at254), true);
  assert.equal(literal(at254), true);
  assert.equal(phpFilterValidateEmail(at255), false);
  assert.equal(literal(at255), false);
});
