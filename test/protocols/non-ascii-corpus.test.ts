// A corpus of names in many scripts, registered through every request parser, logged in, retrieved in every
// response format, indexed, updated and mailed, compared byte for byte with what Drupal 7 + Services would
// send (expected bytes from PHP's rules in drupal-bytes.ts, not from Gatehouse's formatters).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  bencodedString, em, formEncoded, multipart, phpJsonString, phpSerializedString, reasonText, xmlCharRefs, xmlText,
} from './drupal-bytes.js';
import { logIn, raw, type Raw } from './wire.js';

const PASS = 'pässwörd 😀';
/** Names user_validate_name() accepts: accents, precomposed and combining forms, CJK, RTL, emoji, 60 characters. */
const CORPUS = [
  'José Müller', "Zoë O'Brien-Ærø", 'Amélie', 'Ame\u0301lie', '山田太郎', 'محمد علي', 'Emoji 😀 fan', 'x.y_z@w+v',
  'ü'.repeat(60), `${'😀'.repeat(59)}x`, `${'e\u0301'.repeat(30)}`,
];
type Parser = 'json' | 'urlencoded' | 'multipart' | 'xml';
const PARSERS: Parser[] = ['json', 'urlencoded', 'multipart', 'xml'];

/** A registration body as each parser's client would send it; JSON with PHP's \u escapes (surrogate pairs beyond the BMP). */
function registration(parser: Parser, fields: Record<string, string>): { type: string; body: string | Buffer } {
  switch (parser) {
    case 'json': return { type: 'application/json', body: `{${Object.entries(fields).map(([k, v]) => `${phpJsonString(k)}:${phpJsonString(v)}`).join(',')}}` };
    case 'urlencoded': return { type: 'application/x-www-form-urlencoded', body: formEncoded(fields) };
    case 'multipart': return { type: 'multipart/form-data; boundary=xYzZY', body: multipart(fields, 'xYzZY') };
    case 'xml': return { type: 'application/xml', body: `<?xml version="1.0" encoding="UTF-8"?><data>${Object.entries(fields).map(([k, v]) => `<${k}>${xmlCharRefs(v)}</${k}>`).join('')}</data>` };
  }
}

/** The name member of a user in each format, as Services on PHP writes it. */
const NAME_IN: Record<string, (name: string) => string> = {
  json: (n) => `"name":${phpJsonString(n)}`,
  jsonp: (n) => `"name":${phpJsonString(n)}`,
  xml: (n) => `<name>${xmlText(n)}</name>`,
  php: (n) => `s:4:"name";${phpSerializedString(n)}`,
  bencode: (n) => `4:name${bencodedString(n)}`,
};

describe('non-ASCII names byte for byte, every parser and format', () => {
  let s: TestServer;
  const uids = new Map<string, string>();
  const register = (parser: Parser, fields: Record<string, string>, format = 'json'): Promise<Raw> => {
    const { type, body } = registration(parser, fields);
    return raw(s, 'POST', `/rest/user/register.${format}`, [['Content-Type', type]], body);
  };
  before(async () => {
    s = await startTestServer({ preset: 'peer' });
    for (const [i, name] of CORPUS.entries()) {
      const parser = PARSERS[i % PARSERS.length];
      const r = await register(parser, { name, mail: `u${i}@example.com`, pass: PASS });
      assert.equal(r.status, 200, `${parser} ${name}: ${reasonText(r.reason)} ${r.body}`);
      uids.set(name, JSON.parse(r.body).uid);
    }
  });
  after(async () => { await s.close(); });

  test('every name logs in through every parser and reads back as the same bytes in every format', async () => {
    for (const [i, name] of CORPUS.entries()) {
      const parser = PARSERS[(i + 1) % PARSERS.length];
      const { type, body } = registration(parser, { username: name, password: PASS });
      const login = await raw(s, 'POST', '/rest/user/login.json', [['Content-Type', type]], body);
      assert.equal(login.status, 200, `${parser} login ${name}: ${reasonText(login.reason)}`);
      assert.ok(login.body.includes(NAME_IN.json(name)), login.body);
      const me = await logIn(s, name, PASS);
      assert.equal(me.uid, uids.get(name), name);
      for (const [format, expected] of Object.entries(NAME_IN)) {
        const r = await raw(s, 'GET', `/rest/user/${me.uid}.${format}${format === 'jsonp' ? '?callback=cb' : ''}`, [['Cookie', me.cookie]]);
        assert.equal(r.status, 200, `${format} ${name}`);
        assert.ok(r.body.includes(expected(name)), `${format} ${name}: ${r.body}`);
      }
    }
  });

  test('the index finds each name by its exact bytes', async () => {
    const admin = await logIn(s, 'admin', 'admin');
    for (const name of CORPUS) {
      const r = await raw(s, 'GET', `/rest/user.json?parameters[name]=${encodeURIComponent(name)}&fields=uid,name`, [['Cookie', admin.cookie]]);
      assert.equal(r.status, 200, name);
      assert.equal(r.body, `[{"uid":"${uids.get(name)}","name":${phpJsonString(name)},"uri":"${s.url}/rest/user/${uids.get(name)}"}]`, name);
    }
  });

  test('an update keeps the new name\'s bytes', async () => {
    const admin = await logIn(s, 'admin', 'admin');
    const uid = uids.get('山田太郎');
    const r = await raw(s, 'PUT', `/rest/user/${uid}.xml`, [['Content-Type', 'application/json'], ['Cookie', admin.cookie], ['X-CSRF-Token', admin.token]],
      JSON.stringify({ name: '山田花子 ✓' }));
    assert.equal(r.status, 200, reasonText(r.reason));
    const back = await raw(s, 'GET', `/rest/user/${uid}.php`, [['Cookie', admin.cookie]]);
    assert.ok(back.body.includes(NAME_IN.php('山田花子 ✓')), back.body);
    uids.set('山田花子 ✓', uid as string);
  });

  test('a status line quoting a name carries its UTF-8 bytes once, with every format and parser', async () => {
    const formats = ['json', 'xml', 'php', 'bencode', 'jsonp'];
    for (const [i, name] of ['José Müller', 'Emoji 😀 fan', 'محمد علي', "Zoë O'Brien-Ærø"].entries()) {
      const parser = PARSERS[i % PARSERS.length];
      const r = await register(parser, { name, mail: `again${i}@example.com`, pass: PASS }, formats[i % formats.length]);
      assert.equal(r.status, 406);
      assert.equal(reasonText(r.reason), `Not Acceptable : The name ${name.replace("'", '&#039;')} is already taken.`, `${parser} ${name}`);
    }
    const r = await register('json', { name: 'José Müller', mail: 'again@example.com', pass: PASS }, 'json');
    assert.equal(r.body, `{"form_errors":{"name":${phpJsonString(`The name ${em('José Müller')} is already taken.`)}}}`);
  });

  test('registration mail quotes the name as it is', async () => {
    const mails = await s.mails();
    for (const [i, name] of CORPUS.entries()) {
      const mail = mails.find((m) => m.to === `u${i}@example.com`);
      assert.ok(mail, name);
      assert.equal(mail.subject, `Account details for ${name} at Services peer`);
      // PHP's wordwrap() counts bytes: past 77 bytes the name goes to a line of its own.
      const line = Buffer.byteLength(`username: ${name}`) <= 77 ? `\nusername: ${name}\n` : `\nusername:\n${name}\n`;
      assert.ok(mail.body.startsWith(`${name},\n`) && mail.body.includes(line), mail.body);
    }
  });

  test('the one-time login page names the account in UTF-8, escaped as check_plain() does', async () => {
    const name = "Zoë O'Brien-Ærø";
    const asked = await raw(s, 'POST', '/rest/user/request_new_password.json', [['Content-Type', 'application/json']], JSON.stringify({ name }));
    assert.equal(asked.status, 200, reasonText(asked.reason));
    const mail = (await s.mails()).filter((m) => m.to === `u${CORPUS.indexOf(name)}@example.com`).at(-1);
    assert.equal(mail?.subject, `Replacement login information for ${name} at Services peer`);
    const link = /http:\/\/127\.0\.0\.1:\d+(\/user\/reset\/\S+)/.exec(mail.body)?.[1] ?? '';
    const page = await raw(s, 'GET', link);
    assert.equal(page.status, 200, link);
    assert.equal(page.header('content-type'), 'text/html; charset=UTF-8');
    assert.ok(page.body.includes(`<em class="placeholder">Zoë O&#039;Brien-Ærø</em>`), page.body);
  });
});
