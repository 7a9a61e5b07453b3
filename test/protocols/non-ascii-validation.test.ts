// Drupal 7's Unicode rules for names (user_validate_name, the form's #maxlength in characters) and mails
// (valid_email_address = PHP filter_var FILTER_VALIDATE_EMAIL), and what happens to text that is not UTF-8,
// over HTTP: the expected messages are Drupal's, the expected verdicts PHP 8.2's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { phpJsonString, reasonText } from './drupal-bytes.js';
import { raw } from './wire.js';

const ILLEGAL = 'The username contains an illegal character.';
const tooLong = (n: number) => `Username cannot be longer than <em class="placeholder">60</em> characters but is currently <em class="placeholder">${n}</em> characters long.`;
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];

/** user_validate_name()'s classes, one character each side of every range boundary. */
const NAMES: Array<[string, string, string | null]> = [
  ['zero-width space U+200B', 'a\u200Bb', ILLEGAL],
  ['zero-width joiner in an emoji sequence', '👨\u200D👩', ILLEGAL],
  ['right-to-left mark U+200F', 'محمد\u200F', ILLEGAL],
  ['hyphen U+2010, after the space range', 'a\u2010b', null],
  ['NEL U+0085 (C1 control)', 'a\u0085b', ILLEGAL],
  ['no-break space U+00A0', 'a\u00A0b', ILLEGAL],
  ['inverted exclamation U+00A1, after NBSP', 'a\u00A1b', null],
  ['soft hyphen U+00AD', 'a\u00ADb', ILLEGAL],
  ['registered sign U+00AE', 'a\u00AEb', null],
  ['line separator U+2028', 'a\u2028b', ILLEGAL],
  ['right-to-left override U+202E', 'a\u202Eb', ILLEGAL],
  ['per mille U+2030, after the overrides', 'a\u2030b', null],
  ['word joiner U+2060', 'a\u2060b', ILLEGAL],
  ['byte order mark U+FEFF', 'a\uFEFFb', ILLEGAL],
  ['full-width latin', 'ＡＢＣ', ILLEGAL],
  ['halfwidth ideographic full stop U+FF61, after full-width', 'a\uFF61b', null],
  ['replacement character U+FFFD', 'a\uFFFDb', ILLEGAL],
  ['control character BEL', 'a\u0007b', ILLEGAL],
  ['tab', 'a\tb', ILLEGAL],
  ['ASCII outside the allowed set', 'a!b', ILLEGAL],
  ["allowed ASCII punctuation @+_.'-", "a@b+c_d.e'f-g", null],
  ['leading space', ' Zoë', 'The username cannot begin with a space.'],
  ['trailing space', 'Zoë ', 'The username cannot end with a space.'],
  ['two spaces', 'Zo  ë', 'The username cannot contain multiple spaces in a row.'],
  ['60 two-byte characters', 'é'.repeat(60), null],
  ['61 two-byte characters', 'é'.repeat(61), tooLong(61)],
  ['60 emoji', '😀'.repeat(60), null],
  ['61 emoji', '😀'.repeat(61), tooLong(61)],
  ['30 letters with combining accents = 60 characters', 'e\u0301'.repeat(30), null],
  ['61 characters with combining accents', `${'e\u0301'.repeat(30)}x`, tooLong(61)],
];

/** PHP 8.2 filter_var(FILTER_VALIDATE_EMAIL) verdicts. */
const MAILS: Array<[string, boolean]> = [
  ['josé@example.com', false], ['a@exämple.com', false], ['ü@ü.de', false], ['a@xn--exmple-cua.com', true], ["O'Brien@example.ie", true],
];

describe('Drupal 7 validation of non-ASCII input', () => {
  let s: TestServer;
  let n = 0;
  const register = (name: string, mail = `v${n++}@example.com`) =>
    raw(s, 'POST', '/rest/user/register.json', [JSON_TYPE], JSON.stringify({ name, mail, pass: 'secret' }));
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });

  test('user_validate_name and #maxlength on Unicode names', async () => {
    for (const [what, name, error] of NAMES) {
      const r = await register(name);
      if (error === null) {
        assert.equal(r.status, 200, `${what}: ${reasonText(r.reason)}`);
        continue;
      }
      assert.equal(r.status, 406, what);
      assert.equal(reasonText(r.reason), `Not Acceptable : ${error.replace(/<[^>]*>/g, '')}`, what);
      assert.equal(r.body, `{"form_errors":{"name":${phpJsonString(error)}}}`, what);
    }
  });

  test('valid_email_address on non-ASCII mail addresses', async () => {
    for (const [i, [mail, valid]] of MAILS.entries()) {
      const r = await register(`mailer ${i}`, mail);
      if (valid) { assert.equal(r.status, 200, mail); continue; }
      const error = `The e-mail address <em class="placeholder">${mail}</em> is not valid.`;
      assert.equal(r.status, 406, mail);
      assert.equal(reasonText(r.reason), `Not Acceptable : The e-mail address ${mail} is not valid.`);
      assert.equal(r.body, `{"form_errors":{"mail":${phpJsonString(error)}}}`);
    }
  });

  test('bytes that are not UTF-8: replaced in form bodies (a name then has an illegal character), refused in JSON', async () => {
    const form = await raw(s, 'POST', '/rest/user/register.json', [['Content-Type', 'application/x-www-form-urlencoded']], 'name=a%C3%28b&mail=bad1%40example.com&pass=x');
    assert.equal(form.status, 406);
    assert.equal(form.body, `{"form_errors":{"name":"${ILLEGAL}"}}`);
    const json = await raw(s, 'POST', '/rest/user/register.json', [JSON_TYPE], Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('b","mail":"bad2@example.com","pass":"x"}')]));
    assert.deepEqual([json.status, json.reason, json.body], [400, ': Invalid JSON.', '["Invalid JSON."]']);
    const lone = await raw(s, 'POST', '/rest/user/register.json', [JSON_TYPE], '{"name":"a\\ud83db","mail":"bad3@example.com","pass":"x"}');
    assert.deepEqual([lone.status, lone.body], [400, '["Invalid JSON."]'], 'an unpaired surrogate escape is invalid JSON to PHP');
  });

  test('a resource name from the ?q= form and from a percent-encoded path is quoted in UTF-8 on an empty answer', async () => {
    for (const path of ['/?q=rest/nosuch%C3%A9', '/rest/nosuch%C3%A9.json']) {
      const r = await raw(s, 'GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(reasonText(r.reason), 'Not found : Could not find resource nosuché.', path);
      assert.equal(r.body, '', path);
    }
  });
});
