// Non-ASCII text in strangler mode: the legacy site's status lines pass through byte for byte, text goes to
// the legacy database as the same UTF-8 bytes, and text a utf8mb3 legacy database cannot hold (beyond U+FFFF)
// is refused with a 406 before anything is written, on either side.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call } from '../helpers/http.js';
import type { TestServer } from '../helpers/test-server.js';
import { raw } from '../protocols/wire.js';
import { type LegacySite, loadLegacySite, rows } from './legacy-site.js';
import { type StandIn, startStandInOrigin } from './stand-in-origin.js';
import { startStrangler } from './strangler-server.js';

const utf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex').toUpperCase();
const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];
const REFUSED_NAME = 'Not Acceptable : The value of name has characters the legacy site cannot store (beyond U+FFFF, such as emoji).';

describe('strangler mode: non-ASCII text', () => {
  let legacy: LegacySite;
  let origin: StandIn;
  let gate: TestServer;
  const register = (g: TestServer, name: string, mail: string) => raw(g, 'POST', '/api/user/register', [JSON_TYPE], JSON.stringify({ name, mail, pass: 'pässwörd-😀' }));
  const legacyUser = async (name: string) => (await rows(legacy, 'SELECT uid, HEX(name) AS hex FROM users WHERE name = ?', [name]))[0];
  const sequence = async () => Number((await rows(legacy, 'SELECT MAX(value) AS v FROM sequences'))[0].v);

  before(async () => {
    legacy = await loadLegacySite('utf8');
    origin = await startStandInOrigin(legacy.db);
    gate = await startStrangler({ origin: origin.url, databaseUrl: legacy.url });
  });
  after(async () => {
    await gate?.close();
    await origin?.close();
    await legacy?.drop();
  });

  it('passes a UTF-8 reason phrase from the legacy site on as the same bytes', async () => {
    const r = await raw(gate, 'GET', '/utf8-status');
    assert.equal(r.status, 406);
    assert.equal(utf8(r.reason), 'Not Acceptable : The name bób 山田 is already taken.');
    assert.equal(r.body, 'bób 山田');
  });

  it('writes accented, CJK and right-to-left names to the legacy users table as their UTF-8 bytes', async () => {
    for (const [name, mail] of [['Joséphine Øster', 'josephine@example.test'], ['山田太郎', 'yamada@example.test'], ['محمد', 'm@example.test']]) {
      const r = await register(gate, name, mail);
      assert.equal(r.status, 200, r.body);
      const row = await legacyUser(name);
      assert.equal(row.hex, hex(name), name);
      assert.equal(Number(row.uid), Number(JSON.parse(r.body).uid));
      const login = await call(`${gate.url}/api/user/login`, { method: 'POST', json: { username: name, password: 'pässwörd-😀' } });
      assert.equal(login.status, 200, `${name} logs in`);
      assert.equal(login.json.user.name, name);
    }
  });

  it('refuses 4-byte text a utf8mb3 legacy table cannot store with a 406, writing nothing anywhere', async () => {
    const seq = await sequence();
    const r = await register(gate, 'Zoë H 😀', 'zoe.h19@example.test');
    assert.equal(r.status, 406);
    assert.equal(utf8(r.reason), REFUSED_NAME);
    assert.deepEqual(JSON.parse(r.body), ['The value of <em class="placeholder">name</em> has characters the legacy site cannot store (beyond U+FFFF, such as emoji).']);
    assert.equal(await sequence(), seq, 'no uid was taken from the legacy sequence');
    assert.equal((await rows(legacy, 'SELECT uid FROM users WHERE mail = ?', ['zoe.h19@example.test'])).length, 0);
    const again = await register(gate, 'Zoë H', 'zoe.h19@example.test');
    assert.equal(again.status, 200, `nothing was kept locally either: ${again.body}`);

    await gate.setVariable('user_signatures', 1);
    const login = await call(`${gate.url}/api/user/login`, { method: 'POST', json: { username: 'Zoë H', password: 'pässwörd-😀' } });
    const cookie = `${login.json.session_name}=${login.json.sessid}`;
    const update = await raw(gate, 'PUT', `/api/user/${login.json.user.uid}`, [JSON_TYPE, ['Cookie', cookie], ['X-CSRF-Token', login.json.token]],
      JSON.stringify({ signature: { value: 'Merci 🎉 Zoë' } }));
    assert.equal(update.status, 406, update.body);
    assert.equal(utf8(update.reason), REFUSED_NAME.replace('of name', 'of signature'));
    assert.equal((await rows(legacy, 'SELECT signature FROM users WHERE name = ?', ['Zoë H']))[0].signature, '');
    const me = await call(`${gate.url}/api/user/${login.json.user.uid}`, { headers: { cookie } });
    assert.equal(me.json.signature, '', 'the local account is unchanged');
    const plane0 = await raw(gate, 'PUT', `/api/user/${login.json.user.uid}`, [JSON_TYPE, ['Cookie', cookie], ['X-CSRF-Token', login.json.token]],
      JSON.stringify({ signature: { value: 'Merci ✓ Zoë' } }));
    assert.equal(plane0.status, 200, plane0.body);
    assert.equal((await rows(legacy, 'SELECT HEX(signature) AS hex FROM users WHERE name = ?', ['Zoë H']))[0].hex, hex('Merci ✓ Zoë'));
  });

  it('stores 4-byte text when the legacy users table is utf8mb4', async () => {
    await legacy.db.query('ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci');
    const wide = await startStrangler({ origin: origin.url, databaseUrl: legacy.url });
    try {
      const r = await register(wide, 'Emoji 😀 fan', 'emoji@example.test');
      assert.equal(r.status, 200, r.body);
      assert.equal((await legacyUser('Emoji 😀 fan')).hex, hex('Emoji 😀 fan'));
    } finally {
      await wide.close();
    }
  });
});
