import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { randomKey } from '../../../src/core/crypto/random-key.js';
import { hashBase64, hmacBase64, safeEqual } from '../../../src/core/crypto/hmac.js';
import { hashSessionId, newSessionId } from '../../../src/core/crypto/session-id.js';
import { csrfToken, validCsrfToken } from '../../../src/core/crypto/csrf-token.js';
import { cookieDomain, sessionCookieName, sessionNameInput } from '../../../src/core/crypto/cookie-name.js';

const B64URL_43 = /^[A-Za-z0-9_-]{43}$/;

// Site B (drupal7-site-b.md): $drupal_hash_salt, drupal_private_key and the 5 live sessions.
const SITE_B = {
  hashSalt: 'HCcyzSmYNZjsQheB7Hu2jjUJCgbkz2OqCgl3M9x4mik',
  privateKey: 'vHIDsZwtVMS4aHJDZLa7fAmVTmW6uhGY8x7EY66hyd4',
  sessions: [
    { user: 'alice', sid: 'haiPMRSA6CynY5VVjiErDaZFMxBJVoHUsGqHNrGEn4Y', stored: 'RfD9Xzdpom1W_weO3AHM9sCzBB38DxWLxpQGhH86xlQ', token: '3b7I18kRwyZKHpasiY09dDpzgMP6sw8uRUiT9Qfu7nI' },
    { user: 'bob', sid: 'NexdE2pWWxsXU6Uj95XrTIjXkVn69aHDXVCUFb67msc', stored: 'Fz-q0-DQk9wZUcH7M4lZAwrFPzvPtsnb6vqWE5QbUL0', token: 'DiALudzTmRSQ2Yxmgby3NEpkcBESuCazJmU68yjwtuA' },
    { user: 'dave', sid: '5F0XNpIjGo73vK4Hl06TFLnagj-O5rAm6QvdDVwhHVA', stored: 'Pnwwr_VjFer3XKEV5n0ilHxU0xUvbLdIMIBg3s_oK2w', token: '50TnEzY9IkqntBTtlfuIIhM30HMeVIsXgMHuBhw6BPo' },
    { user: 'JohnDoe', sid: 'pPLneyZzekyVmarS5aisyqFI7Xz_gcxYbIdZ_JhDmpE', stored: 'TzFd78064FTxPg6Py3bEIE0zqQj25F2QZ34c4M7lAz0', token: 'fuyICGwfA44yXfkAYDJmkU2FAg4kgRoZfuuV2_Nw4hk' },
    { user: 'José Müller', sid: 'YRkz4AyBUREafS3B8W13GgAxcgBUuwqSD-8qlYY6LA4', stored: '7PrHo2KWyILoc1sEE8VYWTQJyK9IRuwtETV9i0baUbY', token: 'w-BFm-TM9zRN8kc4D9iBMciLxqJxSlX23eNA-hx_83Q' },
  ],
};

test('randomKey: base64url without padding, 43 chars for 32 bytes, other sizes', () => {
  const a = randomKey();
  assert.match(a, B64URL_43);
  assert.notEqual(a, randomKey());
  assert.equal(randomKey(6).length, 8);
  assert.equal(randomKey(16).length, 22);
  assert.equal(Buffer.from(randomKey(48), 'base64url').length, 48);
  assert.throws(() => randomKey(0), RangeError);
  assert.equal(Buffer.from(randomKey(1024), 'base64url').length, 1024);
});

test('randomKey: across refills of its pool, never the same key twice', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) seen.add(randomKey()); // 64 KB: eight fills of the 8 KB pool
  assert.equal(seen.size, 2000);
});

test('hmacBase64 / hashBase64: Drupal encoding (RFC 4231 case 2, SHA-256 of "abc")', () => {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
  const hex = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
  assert.equal(hmacBase64('what do ya want for nothing?', 'Jefe'), Buffer.from(hex, 'hex').toString('base64url'));
  assert.equal(hashBase64('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  assert.match(hmacBase64('', ''), B64URL_43);
  assert.ok(!hashBase64('x').includes('='));
  // UTF-8 bytes are hashed
  assert.equal(hashBase64('é'), createHash('sha256').update(Buffer.from([0xc3, 0xa9])).digest('base64url'));
});

test('safeEqual: equal, different, length mismatch, non-strings', () => {
  assert.equal(safeEqual('abc', 'abc'), true);
  assert.equal(safeEqual('', ''), true);
  assert.equal(safeEqual('abc', 'abd'), false);
  assert.equal(safeEqual('abc', 'abcd'), false);
  assert.equal(safeEqual('é', 'e'), false);
  assert.equal(safeEqual(undefined as unknown as string, 'a'), false);
});

test('session ids: new ids are 43-char keys; stored sid = base64url(sha256(raw)) (site B sessions table)', () => {
  const sid = newSessionId();
  assert.match(sid, B64URL_43);
  assert.notEqual(sid, newSessionId());
  assert.match(hashSessionId(sid), B64URL_43);
  for (const s of SITE_B.sessions) assert.equal(hashSessionId(s.sid), s.stored, s.user);
});

test('csrfToken: spec vector and the five real site-B session tokens', () => {
  assert.equal(csrfToken('abc', 'PRIVKEY', 'SALT'), 'ryiNZq4H2-wRbiYsOkOrQgI2pM8mvQwgCG1RaJP9Yhc');
  assert.equal(csrfToken('abc', 'PRIVKEY', 'SALT', 'services'), 'ryiNZq4H2-wRbiYsOkOrQgI2pM8mvQwgCG1RaJP9Yhc');
  assert.notEqual(csrfToken('abc', 'PRIVKEY', 'SALT', 'other'), 'ryiNZq4H2-wRbiYsOkOrQgI2pM8mvQwgCG1RaJP9Yhc');
  for (const s of SITE_B.sessions) {
    assert.equal(csrfToken(s.sid, SITE_B.privateKey, SITE_B.hashSalt), s.token, s.user);
    assert.equal(validCsrfToken(s.token, s.sid, SITE_B.privateKey, SITE_B.hashSalt), true);
  }
  // the token is bound to the session (b-sessions step 26: bob's cookie with alice's token)
  const [alice, bob] = SITE_B.sessions;
  assert.equal(validCsrfToken(alice.token, bob.sid, SITE_B.privateKey, SITE_B.hashSalt), false);
  assert.equal(validCsrfToken('', alice.sid, SITE_B.privateKey, SITE_B.hashSalt), false);
  assert.equal(validCsrfToken(undefined, alice.sid, SITE_B.privateKey, SITE_B.hashSalt), false);
  // the hashed sid is NOT the key
  assert.notEqual(csrfToken(alice.stored, SITE_B.privateKey, SITE_B.hashSalt), alice.token);
});

test('sessionCookieName: recorded and spec vectors', () => {
  // recorded site A (seed-login step 2): http://127.0.0.1:8070, site at the root
  assert.equal(sessionCookieName({ host: '127.0.0.1:8070', basePath: '', https: false }), 'SESSfe96f6b8880f9bdcaa7dadae3db02b95');
  assert.equal(sessionCookieName({ host: '127.0.0.1:8070', basePath: '/', https: false }), 'SESSfe96f6b8880f9bdcaa7dadae3db02b95');
  // spec examples (services-session-csrf.md §1)
  assert.equal(sessionCookieName({ host: 'example.com', basePath: '', https: false }), 'SESSa379a6f6eeafb9a55e378c118034e275');
  assert.equal(sessionCookieName({ host: 'localhost', basePath: '', https: false }), 'SESS49960de5880e8c687434170f6476605b');
  assert.equal(sessionCookieName({ host: 'example.com', basePath: '', https: true }), 'SSESSa379a6f6eeafb9a55e378c118034e275');
  // Host is lower-cased by drupal_environment_initialize()
  assert.equal(sessionCookieName({ host: 'EXAMPLE.com', basePath: '', https: false }), 'SESSa379a6f6eeafb9a55e378c118034e275');
  // site B: $cookie_domain = '.example.test' names the cookie (drupal7-site-b.md, b-sessions)
  assert.equal(sessionCookieName({ host: 'www.example.test', basePath: '', https: true, cookieDomain: '.example.test' }), 'SSESS574595f559df59f0217e4bc3cf2c3ce9');
  assert.equal(sessionCookieName({ host: 'backend:8071', basePath: '', https: false, cookieDomain: '.example.test' }), 'SESS574595f559df59f0217e4bc3cf2c3ce9');
});

test('sessionCookieName: base path and the 7.83 www. rule', () => {
  assert.equal(sessionNameInput({ host: 'example.com', basePath: '/drupal/', https: false }), 'example.com/drupal');
  assert.equal(sessionNameInput({ host: 'example.com:8080', basePath: 'drupal', https: false }), 'example.com:8080/drupal');
  assert.equal(sessionNameInput({ host: 'www.example.com', basePath: '', https: false }), '.www.example.com');
  assert.equal(sessionNameInput({ host: 'www.example.com', basePath: '', https: false, cookieDomain: 'www.example.com' }), 'www.example.com');
  assert.equal(sessionNameInput({ host: 'a.example.com', basePath: '', https: false, cookieDomain: '' }), 'a.example.com');
  assert.equal(sessionNameInput({ host: 'a.example.com', basePath: '', https: false, cookieDomain: '0' }), 'a.example.com');
  const expected = 'SESS' + createHash('sha256').update('.www.example.com').digest('hex').slice(0, 32);
  assert.equal(sessionCookieName({ host: 'www.example.com', basePath: '', https: false }), expected);
});

test('cookieDomain: attribute rule', () => {
  assert.equal(cookieDomain({ host: '127.0.0.1:8070' }), null); // recorded: no domain attribute (IP host)
  assert.equal(cookieDomain({ host: 'localhost' }), null);
  assert.equal(cookieDomain({ host: 'localhost:8080' }), null);
  assert.equal(cookieDomain({ host: 'example.com' }), '.example.com');
  assert.equal(cookieDomain({ host: 'example.com:8443' }), '.example.com');
  assert.equal(cookieDomain({ host: '..Example.COM' }), '.example.com');
  assert.equal(cookieDomain({ host: 'www.example.com' }), '.www.example.com'); // 7.83+: www. kept
  assert.equal(cookieDomain({ host: '[::1]:8080' }), null);
  assert.equal(cookieDomain({ host: '' }), null);
  assert.equal(cookieDomain({ host: 'www.example.test', cookieDomain: '.example.test' }), '.example.test'); // site B
  assert.equal(cookieDomain({ host: 'x.example.test', cookieDomain: 'example.test' }), null); // only 2 parts
  assert.equal(cookieDomain({ host: 'x', cookieDomain: '.10.0.0.1' }), null); // numeric
});
