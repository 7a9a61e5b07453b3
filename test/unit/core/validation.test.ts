import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPlain, phpNumberString, phpTrim, textfieldValue, userValidateName, validateUsername } from '../../../src/core/validation/username.js';
import { phpFilterValidateEmail, validateMail } from '../../../src/core/validation/mail.js';
import { readPasswordInput, validatePassword } from '../../../src/core/validation/password.js';

const em = (s: string | number): string => `<em class="placeholder">${s}</em>`;

// ---------------------------------------------------------------------------------------------------------
// Recorded register/create requests (../shared/conformance): every name/mail/pass validation message.
// ---------------------------------------------------------------------------------------------------------

const CONFORMANCE = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)), '../shared/conformance');

interface Step { step: number; title: string; request?: { method: string; path: string; headers: Array<[string, string]>; body: string | null }; response?: { status: number; body_json?: unknown } }

function loadSteps(name: string): Step[] {
  return JSON.parse(fs.readFileSync(path.join(CONFORMANCE, `${name}.json`), 'utf8')) as Step[];
}

/** The account array the form sees: a JSON object body, otherwise nothing (all fields missing). */
function accountOf(s: Step): Record<string, unknown> {
  const ct = s.request?.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  if (!ct.startsWith('application/json') || !s.request?.body) return {};
  try {
    const v: unknown = JSON.parse(s.request.body);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return {};
    const o = v as Record<string, unknown>;
    return o.account && typeof o.account === 'object' ? (o.account as Record<string, unknown>) : o;
  } catch {
    return {};
  }
}

const DB_MESSAGES = /is already taken\.|is already registered\./;

/** Checks name/mail/pass of one recorded register/create step; returns how many messages were compared. */
function checkRecordedStep(scenario: string, s: Step, passRequired: boolean): number {
  const where = `${scenario} step ${s.step} (${s.title})`;
  const account = accountOf(s);
  const bj = s.response?.body_json as { form_errors?: Record<string, string> } | undefined;
  const errors = bj?.form_errors ?? {};
  const actual: Record<string, string | null> = {
    name: validateUsername(account.name),
    mail: validateMail(account.mail).error,
    pass: validatePassword(readPasswordInput(account.pass), { required: passRequired }),
  };
  let compared = 0;
  for (const key of ['name', 'mail', 'pass'] as const) {
    const expected = errors[key];
    if (expected === undefined || DB_MESSAGES.test(expected)) {
      assert.equal(actual[key], null, `${where}: ${key} should pass the pure validators`);
    } else {
      assert.equal(actual[key], expected, `${where}: ${key}`);
      compared++;
    }
  }
  return compared;
}

const isRegister = (s: Step): boolean => s.request?.method === 'POST' && /\/rest\/user(\/register)?$/.test(s.request.path)
  && (s.response?.status === 200 || (s.response?.body_json as { form_errors?: unknown } | undefined)?.form_errors !== undefined);

test('register-errors.json: every recorded name/mail/pass message, and no false positives', { skip: !fs.existsSync(CONFORMANCE) }, () => {
  const steps = loadSteps('register-errors').filter(isRegister);
  assert.ok(steps.length >= 25, `only ${steps.length} register steps found`);
  let compared = 0;
  // user_email_verification = FALSE on this run, and steps 36-37 are an admin: pass is always required
  for (const s of steps) compared += checkRecordedStep('register-errors', s, true);
  // pure-validation messages: steps 7, 8, 9, 10 (x2), 11, 12, 13, 14, 16, 18 (x3), 19 (x3), 21 (x3),
  // 22 (x3), 24 (x3), 29 = 26; steps 2-6 are the DB "already taken/registered" checks
  assert.equal(compared, 26);
});

test('seed-register.json: {pass1,pass2}, missing pass, accepted bodies', { skip: !fs.existsSync(CONFORMANCE) }, () => {
  const steps = loadSteps('seed-register').filter(isRegister);
  let compared = 0;
  for (const s of steps) compared += checkRecordedStep('seed-register', s, true);
  assert.equal(compared, 1); // step 11: "Password field is required."
});

test('register-errors: the recorded messages, spelled out', () => {
  assert.equal(validateUsername(undefined), 'Username field is required.'); // step 9
  assert.equal(validateUsername(''), 'Username field is required.'); // step 10
  assert.equal(validateUsername('a/b<c>'), 'The username contains an illegal character.'); // step 11
  assert.equal(validateUsername(' lead'), 'The username cannot begin with a space.'); // step 12
  assert.equal(validateUsername('dou  ble'), 'The username cannot contain multiple spaces in a row.'); // step 13
  assert.equal(validateUsername('a'.repeat(61)), `Username cannot be longer than ${em(60)} characters but is currently ${em(61)} characters long.`); // 14
  assert.equal(validateUsername('b'.repeat(60)), null); // step 15
  assert.equal(validateUsername('ünïcødé'), null); // step 17
  assert.equal(validateUsername(12345), null); // step 28
  assert.deepEqual(validateMail('not-an-email'), { value: 'not-an-email', error: `The e-mail address ${em('not-an-email')} is not valid.` }); // 7
  assert.equal(validateMail(undefined).error, 'E-mail address field is required.'); // step 8
  assert.equal(validateMail('').error, 'E-mail address field is required.'); // step 10
  const long = 'm'.repeat(250) + '@example.com';
  assert.equal(validateMail(long).error, `E-mail address cannot be longer than ${em(254)} characters but is currently ${em(262)} characters long.`); // 16
  assert.equal(validateMail(['a@example.com']).error, 'E-mail address field is required.'); // step 29
  assert.equal(validatePassword(readPasswordInput(undefined)), 'Password field is required.'); // step 18
  assert.equal(validatePassword(readPasswordInput({ pass1: 'p', pass2: 'q' })), 'The specified passwords do not match.'); // formats 50
  assert.equal(validateMail('bad').error, `The e-mail address ${em('bad')} is not valid.`); // user-ops 38 (PUT)
});

// ---------------------------------------------------------------------------------------------------------
// Username
// ---------------------------------------------------------------------------------------------------------

test('validateUsername: form order (maxlength → required → user_validate_name)', () => {
  assert.equal(validateUsername('   '), 'Username field is required.');
  assert.equal(validateUsername('\t'), 'Username field is required.');
  assert.equal(validateUsername(' '.repeat(61)), `Username cannot be longer than ${em(60)} characters but is currently ${em(61)} characters long.`);
  assert.equal(validateUsername('trail '), 'The username cannot end with a space.');
  assert.equal(validateUsername(' a  b '), 'The username cannot begin with a space.');
  assert.equal(validateUsername('0'), 'You must enter a username.'); // PHP: !"0"
  assert.equal(validateUsername(0), 'You must enter a username.');
  assert.equal(validateUsername('é'.repeat(60)), null); // 60 characters, 120 bytes
  assert.equal(validateUsername('é'.repeat(61)), `Username cannot be longer than ${em(60)} characters but is currently ${em(61)} characters long.`);
  assert.equal(validateUsername('😀'.repeat(60)), null);
  assert.equal(validateUsername('a\nb'), null); // CR/LF removed by the textfield value callback
  assert.equal(validateUsername('\r\n'), 'Username field is required.');
});

test('validateUsername: whitelist and Unicode blacklist', () => {
  for (const ok of ["o'brien", 'mary ann', 'ext.user@partner.test', 'José Müller', 'a_b-c+d', 'Ωmega', '中文', 'a.very_long']) {
    assert.equal(validateUsername(ok), null, ok);
  }
  const illegal = 'The username contains an illegal character.';
  for (const bad of ['a/b', 'a<b', 'a"b', 'a#b', 'a\x7Fb', 'a\x00b', 'a\x01b', 'a\tb', 'a\u00A0b', 'a\u0085b', 'a\u00ADb', 'a\u2003b', 'a\u200Bb', 'a\u202Eb', 'a\u2060b', 'a\uFEFFb', 'ａｂ', 'a\uFFFDb', 'a!b']) {
    assert.equal(validateUsername(bad), illegal, JSON.stringify(bad));
  }
});

test('validateUsername: non-string input', () => {
  assert.equal(validateUsername(null), 'Username field is required.');
  assert.equal(validateUsername(['alice']), 'Username field is required.');
  assert.equal(validateUsername({ a: 1 }), 'Username field is required.');
  assert.equal(validateUsername(false), 'Username field is required.');
  assert.equal(validateUsername(true), null); // PHP: (string) true === "1"
  assert.equal(validateUsername(1.5), null);
  assert.equal(validateUsername(-3), null); // "-3": '-' is allowed
  assert.equal(validateUsername(1e25), null); // "1.0E+25"
});

test('userValidateName: too long message (unreachable through the form maxlength) with check_plain', () => {
  assert.equal(userValidateName('a'.repeat(61)), `The username ${em('a'.repeat(61))} is too long: it must be ${em(60)} characters or less.`);
  assert.equal(userValidateName("o'" + 'a'.repeat(60)), `The username ${em('o&#039;' + 'a'.repeat(60))} is too long: it must be ${em(60)} characters or less.`);
});

test('helpers: phpTrim, checkPlain, textfieldValue, phpNumberString', () => {
  assert.equal(phpTrim(' \t\n\r\0\x0Bx\x0B '), 'x');
  assert.equal(phpTrim('\u00A0x\u00A0'), '\u00A0x\u00A0'); // not JS trim
  assert.equal(checkPlain(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#039;&amp;&#039;&lt;/a&gt;');
  assert.equal(checkPlain('a\uD800b'), '');
  assert.equal(textfieldValue(12345), '12345');
  assert.equal(textfieldValue(true), '1');
  assert.equal(textfieldValue(null), '');
  assert.equal(textfieldValue('a\rb\nc'), 'abc');
  assert.equal(phpNumberString(1.5), '1.5');
  assert.equal(phpNumberString(0.1 + 0.2), '0.3');
  assert.equal(phpNumberString(1e25), '1.0E+25');
  assert.equal(phpNumberString(1.5e-7), '1.5E-7');
  assert.equal(phpNumberString(0.0001), '0.0001');
  assert.equal(phpNumberString(-2.25), '-2.25');
  assert.equal(phpNumberString(123456.789), '123456.789');
});

// ---------------------------------------------------------------------------------------------------------
// Mail
// ---------------------------------------------------------------------------------------------------------

test('validateMail: trimming, order, placeholders', () => {
  assert.deepEqual(validateMail('  alice@example.com \n'), { value: 'alice@example.com', error: null });
  assert.deepEqual(validateMail('   '), { value: '', error: 'E-mail address field is required.' });
  assert.equal(validateMail(' '.repeat(300)).error, `E-mail address cannot be longer than ${em(254)} characters but is currently ${em(300)} characters long.`);
  assert.equal(validateMail('0').error, 'You must enter an e-mail address.');
  assert.equal(validateMail('a<b>@x.com').error, `The e-mail address ${em('a&lt;b&gt;@x.com')} is not valid.`);
  assert.equal(validateMail('\u00A0a@example.com').error, `The e-mail address ${em('\u00A0a@example.com')} is not valid.`);
  assert.equal(validateMail(12345).error, `The e-mail address ${em('12345')} is not valid.`);
  assert.equal(validateMail({ mail: 'a@b.c' }).error, 'E-mail address field is required.');
  assert.equal(validateMail(null).error, 'E-mail address field is required.');
  const max = 'm'.repeat(242) + '@example.com'; // 254
  assert.equal(validateMail(max).error, `The e-mail address ${em(max)} is not valid.`); // local part > 64
  const ok254 = 'm'.repeat(60) + '@' + 'd'.repeat(60) + '.' + 'e'.repeat(60) + '.' + 'f'.repeat(60) + '.com'; // 249
  assert.equal(validateMail(ok254).error, null);
});

test('phpFilterValidateEmail: FILTER_VALIDATE_EMAIL behaviour', () => {
  const valid = ['a@b.com', 'A.B+c@Example.COM', 'ext.user@partner.test', 'John.Doe@Example.test', 'SHOUTY@EXAMPLE.TEST',
    "o'brien@example.test", 'a@example.c', 'a@xn--bcher-kva.example', 'a@example.xn--p1ai', '"a\\"b"@example.com', '"ab"@example.com',
    'a@[127.0.0.1]', 'a@[IPv6:::1]', 'a@[IPv6:2001:db8::1]', 'a@[IPv6:::ffff:127.0.0.1]', '!#$%&\'*+/=?^_`{|}~-@example.com',
    'a'.repeat(64) + '@example.com', 'a@' + 'b'.repeat(63) + '.com', 'a@b-c.d-e.com', 'a@a--b.com'];
  const invalid = ['', 'not-an-email', 'a@b', 'user@localhost', '"quoted string"@example.com', 'a..b@example.com', '.a@example.com',
    'a.@example.com', 'üser@example.com', 'user@exämple.com', 'a@-example.com', 'a@example-.com', 'a@1.2.3.4', 'a@example.com.',
    'a'.repeat(65) + '@example.com', 'a@' + 'b'.repeat(64) + '.com', 'x@example.com\n', 'a b@example.com', 'a@b@c.com',
    'a@[256.0.0.1]', 'a@[IPv6:1:2:3:4:5:6:7:8:9]', 'a@example.1com', '@example.com', 'a@', 'a(b)@example.com', 'a@ex_ample.com',
    'x'.repeat(64) + '@' + ('d'.repeat(60) + '.').repeat(5) + 'com'];
  for (const m of valid) assert.equal(phpFilterValidateEmail(m), true, JSON.stringify(m));
  for (const m of invalid) assert.equal(phpFilterValidateEmail(m), false, JSON.stringify(m));
});

test('phpFilterValidateEmail: adversarial inputs finish fast (no catastrophic backtracking)', () => {
  const inputs = ['a"'.repeat(127), '"a"'.repeat(80) + '@x', 'x@' + 'a.'.repeat(120) + '!', 'x@' + 'xn--a.'.repeat(40) + '-',
    'x@[IPv6:' + '1:'.repeat(100) + ']', 'x@' + 'a-'.repeat(120) + '!', '"'.repeat(300), '\\"'.repeat(150) + '@a.b', 'a.'.repeat(150),
    '"\\a'.repeat(100), 'a'.repeat(320), 'a@' + 'b.'.repeat(158) + '!'];
  for (const s of inputs) {
    const t = performance.now();
    assert.equal(phpFilterValidateEmail(s), false);
    assert.ok(performance.now() - t < 200, `slow on ${JSON.stringify(s.slice(0, 20))}…`);
  }
});

// ---------------------------------------------------------------------------------------------------------
// Password
// ---------------------------------------------------------------------------------------------------------

test('readPasswordInput', () => {
  assert.deepEqual(readPasswordInput('x'), { pass1: 'x', pass2: 'x' });
  assert.deepEqual(readPasswordInput(' x '), { pass1: 'x', pass2: 'x' });
  assert.deepEqual(readPasswordInput({ pass1: ' a ', pass2: 'a' }), { pass1: 'a', pass2: 'a' });
  assert.deepEqual(readPasswordInput({ pass1: 'p6' }), { pass1: 'p6', pass2: '' });
  assert.deepEqual(readPasswordInput({ pass1: ['x'], pass2: { y: 1 } }), { pass1: '', pass2: '' });
  assert.deepEqual(readPasswordInput(12345), { pass1: '12345', pass2: '12345' });
  assert.deepEqual(readPasswordInput(true), { pass1: '1', pass2: '1' });
  assert.deepEqual(readPasswordInput([]), { pass1: '', pass2: '' });
  assert.equal(readPasswordInput(undefined), null);
  assert.equal(readPasswordInput(null), null);
});

test('validatePassword', () => {
  assert.equal(validatePassword({ pass1: 'a', pass2: 'a' }), null);
  assert.equal(validatePassword({ pass1: 'a', pass2: 'b' }), 'The specified passwords do not match.');
  assert.equal(validatePassword({ pass1: 'a', pass2: '' }), 'The specified passwords do not match.');
  assert.equal(validatePassword({ pass1: '', pass2: 'a' }, { required: false }), 'The specified passwords do not match.');
  assert.equal(validatePassword({ pass1: '', pass2: '' }), 'Password field is required.');
  assert.equal(validatePassword(null), 'Password field is required.');
  assert.equal(validatePassword(null, { required: false }), null);
  assert.equal(validatePassword({ pass1: '', pass2: '' }, { required: false }), null);
  assert.equal(validatePassword({ pass1: ' a', pass2: 'a ' }), null); // both trimmed
  assert.equal(validatePassword({ pass1: 'A', pass2: 'a' }), 'The specified passwords do not match.');
});
