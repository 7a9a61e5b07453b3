import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneTimeLoginPath, userPassRehash, validPassRehash } from '../../../src/core/one-time-link.js';
import { hmacBase64 } from '../../../src/core/crypto/hmac.js';

const SPEC_S = '$S$Dabcdefghtds5Q5yJjb43QRxefgfHRs3znZYZRwGCRcZ22.ItBx5';
const VECTOR = { passHash: SPEC_S, timestamp: 1700000000, login: 1690000000, uid: 3, mail: 'bob@example.com', privateKey: 'PRIVKEY', hashSalt: 'SALT' };

test('userPassRehash: drupal-internals.md §4 vector (7.103: mail included, ":" separators)', () => {
  assert.equal(userPassRehash(VECTOR), 'RrYFuP48CMT2Kq6uT3CNMtkNSnWzEYvmrzAI5c8D59Y');
  // the older formulas (no mail / no separators) do not give the recorded vector
  assert.notEqual(hmacBase64('170000000016900000003', 'SALT' + SPEC_S), 'RrYFuP48CMT2Kq6uT3CNMtkNSnWzEYvmrzAI5c8D59Y');
});

test('userPassRehash: the private key takes no part; every other input does', () => {
  const base = userPassRehash(VECTOR);
  assert.equal(userPassRehash({ ...VECTOR, privateKey: 'OTHER' }), base);
  assert.notEqual(userPassRehash({ ...VECTOR, hashSalt: 'SALT2' }), base);
  assert.notEqual(userPassRehash({ ...VECTOR, passHash: SPEC_S.replace('D', 'E') }), base); // password change
  assert.notEqual(userPassRehash({ ...VECTOR, login: 1700000001 }), base); // a later login
  assert.notEqual(userPassRehash({ ...VECTOR, mail: 'bob2@example.com' }), base); // mail change
  assert.notEqual(userPassRehash({ ...VECTOR, uid: 4 }), base);
  assert.notEqual(userPassRehash({ ...VECTOR, timestamp: 1700000001 }), base);
  // missing mail = '' (the parameter default)
  const noMail = { ...VECTOR, mail: undefined };
  assert.equal(userPassRehash(noMail), hmacBase64('1700000000:1690000000:3:', 'SALT' + SPEC_S));
  assert.match(base, /^[A-Za-z0-9_-]{43}$/);
});

test('site B formula (drupal7-site-b.md): hash_salt . users.pass keyed, never-logged-in account', () => {
  const salt = 'HCcyzSmYNZjsQheB7Hu2jjUJCgbkz2OqCgl3M9x4mik';
  const pass = '$S$DXHyHG.zRNRJfJA4JP/iE1qHzdWFTQibSx/LIA2OD5ljJo3E1hX6'; // uid 14 neverlogged, login 0
  const h = userPassRehash({ passHash: pass, timestamp: 1795821200, login: 0, uid: 14, mail: 'never@example.test', hashSalt: salt });
  assert.equal(h, hmacBase64('1795821200:0:14:never@example.test', salt + pass));
});

test('validPassRehash and oneTimeLoginPath', () => {
  assert.equal(validPassRehash('RrYFuP48CMT2Kq6uT3CNMtkNSnWzEYvmrzAI5c8D59Y', VECTOR), true);
  assert.equal(validPassRehash('bogus', VECTOR), false); // user-ops step 55
  assert.equal(validPassRehash('', VECTOR), false);
  assert.equal(validPassRehash(undefined, VECTOR), false);
  assert.equal(oneTimeLoginPath(3, 1700000000, 'RrYFuP48CMT2Kq6uT3CNMtkNSnWzEYvmrzAI5c8D59Y'), 'user/reset/3/1700000000/RrYFuP48CMT2Kq6uT3CNMtkNSnWzEYvmrzAI5c8D59Y');
  // shape of the recorded links (seed-register 23, user-ops 56)
  assert.match('http://127.0.0.1:8070/' + oneTimeLoginPath(5, 1795818522, 'ydTFvJtQLpTy3lnJQ0eN6G2L2LjMfTbKCOev_D8IAwE'), /^http:\/\/127\.0\.0\.1:8070\/user\/reset\/5\/1795818522\/[A-Za-z0-9_-]{43}$/);
});
