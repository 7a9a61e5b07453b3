import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { call } from '../../helpers/http.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';
import { d8Login } from './d8-client.js';

const fields = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, [{ value: v }]]));

describe('Drupal 8+ POST /user/register and /user/password', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ preset: 'peer' }); });
  after(async () => { await s.close(); });
  afterEach(async () => {
    await s.setVariable('user_register', 1);
    await s.setVariable('user_email_verification', false);
  });
  const register = (body: unknown, headers: Record<string, string> = {}) =>
    call(`${s.url}/user/register?_format=json`, { method: 'POST', headers, json: body });

  test('visitors register (user_register = visitors, no verification): 200, the entity as anonymous sees it, not logged in, welcome mail', async () => {
    const before = (await s.mails()).length;
    const r = await register(fields({ name: 'erin', mail: 'erin@example.com', pass: 'erinpass' }));
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.name, [{ value: 'erin' }]);
    assert.equal(typeof r.json.uid[0].value, 'number');
    for (const hidden of ['pass', 'mail', 'status', 'roles', 'timezone', 'access', 'login', 'init']) assert.ok(!(hidden in r.json), hidden);
    assert.deepEqual(r.setCookies, [], 'the new user is not logged in');
    const account = await s.server.store.accounts.byName('erin', '=');
    assert.equal(account?.status, 1);
    const mails = (await s.mails()).slice(before);
    assert.equal(mails.length, 1);
    assert.equal(mails[0].to, 'erin@example.com');
    await d8Login(s.url, 'erin', 'erinpass');
  });

  test('approval mode: the account is blocked; verification mode: no password may be sent, one is generated', async () => {
    await s.setVariable('user_register', 2);
    const pending = await register(fields({ name: 'fay', mail: 'fay@example.com', pass: 'faypass' }));
    assert.equal(pending.status, 200, pending.text);
    assert.equal((await s.server.store.accounts.byName('fay', '='))?.status, 0);
    await s.setVariable('user_register', 1);
    await s.setVariable('user_email_verification', true);
    const withPass = await register(fields({ name: 'gus', mail: 'gus@example.com', pass: 'x' }));
    assert.equal(withPass.status, 422);
    assert.equal(withPass.json.message, 'A Password cannot be specified. It will be generated on login.');
    const verified = await register(fields({ name: 'gus', mail: 'gus@example.com' }));
    assert.equal(verified.status, 200, verified.text);
    assert.equal((await s.server.store.accounts.byName('gus', '='))?.status, 1);
  });

  test('the error rows in Drupal\'s order', async () => {
    const text = await call(`${s.url}/user/register?_format=json`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    assert.equal(text.status, 415);
    assert.equal(text.json.message, 'No route found that matches "Content-Type: text/plain"');
    const broken = await call(`${s.url}/user/register?_format=json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' });
    assert.equal(broken.status, 400);
    const rows: Array<[unknown, number, string]> = [
      [{}, 400, 'No user account data for registration received.'],
      [{ uid: [{ value: 9 }], ...fields({ name: 'h' }) }, 400, 'An ID has been set and only new user accounts can be registered.'],
      [fields({ name: 'hal', mail: 'hal@example.com' }), 422, 'No password provided.'],
      [fields({ name: 'hal', mail: 'hal@example.com', pass: 'p', status: true }), 403, "Access denied on creating field 'status'."],
      [{ ...fields({ name: 'hal', mail: 'hal@example.com', pass: 'p' }), roles: [{ target_id: 'administrator' }] }, 403, "Access denied on creating field 'roles'."],
      [fields({ name: 'alice', mail: 'alice@example.com', pass: 'p' }), 422, 'Unprocessable Entity: validation failed.\nname: The username alice is already taken.\nmail: The email address alice@example.com is already taken.\n'],
      [fields({ name: ' hal', mail: 'not-a-mail', pass: 'p' }), 422, 'Unprocessable Entity: validation failed.\nname: The username cannot begin with a space.\nmail: This value is not a valid email address.\n'],
      [fields({ name: 'h<a>l', mail: 'hal@example.com', pass: 'p' }), 422, 'Unprocessable Entity: validation failed.\nname: The username contains an invalid character.\n'],
      [fields({ name: '', mail: '', pass: 'p' }), 422, 'Unprocessable Entity: validation failed.\nname: You must enter a username.\nmail: Email field is required.\n'],
      [fields({ name: 'a'.repeat(61), mail: 'hal@example.com', pass: 'p' }), 422, `Unprocessable Entity: validation failed.\nname: The username ${'a'.repeat(61)} is too long: it must be 60 characters or less.\n`],
      [fields({ name: 'hal', mail: 'hal@example.com', pass: 'p', field_x: 1 }), 422, 'Field "field_x" is unknown.'],
    ];
    for (const [body, status, message] of rows) {
      const r = await register(body);
      assert.equal(r.status, status, JSON.stringify(body) + r.text);
      assert.equal(r.json.message, message, JSON.stringify(body));
    }
    const alice = await d8Login(s.url, 'alice', 'alicepass');
    const loggedIn = await register(fields({ name: 'ivy', mail: 'ivy@example.com', pass: 'p' }), { cookie: alice.cookie, 'X-CSRF-Token': alice.csrf });
    assert.equal(loggedIn.status, 403);
    assert.equal(loggedIn.json.message, "The 'restful post user_registration' permission is required.");
    await s.server.store.roles.grant(2, ['restful post user_registration']);
    try {
      const granted = await register(fields({ name: 'ivy', mail: 'ivy@example.com', pass: 'p' }), { cookie: alice.cookie, 'X-CSRF-Token': alice.csrf });
      assert.equal(granted.json.message, 'Only anonymous users can register a user.');
    } finally {
      await s.server.database.db.deleteFrom('role_permission').where('rid', '=', 2).where('permission', '=', 'restful post user_registration').execute();
    }
  });

  test('an imported Drupal 7 site: anonymous may register only while user_register lets visitors; granting the permission to anonymous overrides', async () => {
    await s.setVariable('user_register', 0);
    const closed = await register(fields({ name: 'jo', mail: 'jo@example.com', pass: 'p' }));
    assert.equal(closed.status, 403);
    assert.equal(closed.json.message, "The 'restful post user_registration' permission is required.");
    await s.server.store.roles.grant(1, ['restful post user_registration']);
    try {
      const adminOnly = await register(fields({ name: 'jo', mail: 'jo@example.com', pass: 'p' }));
      assert.equal(adminOnly.status, 403);
      assert.equal(adminOnly.json.message, 'You cannot register a new user account.');
    } finally {
      await s.server.database.db.deleteFrom('role_permission').where('rid', '=', 1).where('permission', '=', 'restful post user_registration').execute();
    }
  });

  test('password: by name (which wins) or mail, always 200 with an empty body; missing both is 400', async () => {
    const before = (await s.mails()).length;
    const byName = await call(`${s.url}/user/password?_format=json`, { method: 'POST', json: { name: 'alice', mail: 'nobody@example.com' } });
    assert.equal(byName.status, 200);
    assert.equal(byName.text, '');
    const byMail = await call(`${s.url}/user/password?_format=json`, { method: 'POST', json: { mail: ' bob@example.com ' } });
    assert.equal(byMail.status, 200);
    const unknown = await call(`${s.url}/user/password?_format=json`, { method: 'POST', json: { name: 'nobody' } });
    assert.equal(unknown.status, 200);
    const blocked = await call(`${s.url}/user/password?_format=json`, { method: 'POST', json: { name: 'carol' } });
    assert.equal(blocked.status, 200);
    const mails = (await s.mails()).slice(before);
    assert.deepEqual(mails.map((m) => m.to), ['alice@example.com', 'bob@example.com']);
    assert.match(mails[0].body, /\/user\/reset\/\d+\/\d+\/[A-Za-z0-9_-]+/);
    const missing = await call(`${s.url}/user/password?_format=json`, { method: 'POST', json: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.json.message, 'Missing credentials.name or credentials.mail');
  });
});
