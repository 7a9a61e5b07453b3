import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  DRUPAL_HASH_LENGTH, ITOA64, drupalCheckPassword, drupalCheckPasswordSync, drupalHash, drupalHashAsync,
  drupalHashNeedsRehash, generateDrupalSetting, isDrupalHash, passwordBase64Encode, passwordCrypt, passwordCryptAsync,
} from '../../../src/core/passwords/drupal-hash.js';

// drupal-internals.md §1 (produced by D7.103's password.inc)
const SPEC_S = '$S$Dabcdefghtds5Q5yJjb43QRxefgfHRs3znZYZRwGCRcZ22.ItBx5';
const SPEC_P = '$P$BabcdefghEP1Dc925xipBv72nvZxoc1';
const SPEC_U = 'U$S$DabcdefghrrQCNTTV4e0lrVngPvNTd4jLl/XinbvBhe0XViLnW85';

/** Real hashes written by the recorded sites, with their known passwords. */
const RECORDED: Array<[string, string, string]> = [
  // site A mails (params.account.pass / .password): seed-register step 23
  ['secret1', '$S$DspsN5qjyIh4V6P8XbB/ucgalVE0VNZ2cRALUkB1w5BkusXWU//4', 'seed-register 23 newuser1'],
  ['secret2', '$S$D3/7oGv/3Sj5bdAh7NEX6zWPiCrrsji2LUh9eDHo537cyt0oSFld', 'seed-register 23 newuser2'],
  ['secret3', '$S$DP095L0WOSQ/1cfGKcDBkRIDz6idUhfdCNgdjp05YHi6p4RdJOFf', 'seed-register 23 newuser3'],
  ['secret4', '$S$DgAy4BUDiJyGQSwcgFjkJI0mnD6hCix86fDcssGKOsQnfBhjPKpN', 'seed-register 23 newuser4'],
  ['secret5', '$S$DbxvjqRBr1Pzq3mjB4fjcZ8lvrw40KOrOgRSRVyvQ443mERi3a3H', 'seed-register 23 newuser5'],
  ['p6', '$S$DNxuicYoFIgC3ZZLno3oD.oy9xX4jV/eO4PoEfV6VldDN3LE2HzR', 'seed-register 23 newuser6 ({pass1,pass2})'],
  ['p8', '$S$Ddr0KlcdEtwNtuHbCiAPKZ0Dug0X9S1V6zhQYE4RIGjtBdM/pImM', 'seed-register 23 newuser8'],
  // register-verification-approval step 17 (generated passwords and an approval registration)
  ['wJou5Bufmj', '$S$DxMzTYVYg4jCfFHXt08.yeQ1bv9PKYNLnZEZBTj5eLoOjqOEUq9f', 'rva 17 ver1 (generated)'],
  ['RthWD4H3Be', '$S$DPRw9ZzcAT2tWTPOC7LNlVtROVKDcE0rVO3rh7P66AVvurOa2/K5', 'rva 17 ver2 (generated)'],
  ['p1', '$S$DiXyMvWnxTKeuhcC5HAv9OT0ogcXOrMMKIKML7RUlQ/JjQSUEJTm', 'rva 17 appr1'],
  // user-ops step 56: alice after step 17 changed her password to "newalice"; admin/admin
  ['newalice', '$S$D7U8bJNhqaeueZrSiyKAFU2wUmcl7VfJoxI4MC3y4LT4jmXN4Vz3', 'user-ops 56 alice'],
  ['admin', '$S$Do0LQnNe7wxc6E6hYF9wiPxt83o3Wl7OR7HOlngcIl5Zxf.d6ZWl', 'user-ops 56 admin'],
  // site B dump (fixtures/drupal7-site-b.md, users table)
  ['B-admin-2013!', '$S$DLNuRt.Bivmc0oHKJpgCF.i8jYIrNsuAVWfnqhkBlptFejRbWjaP', 'site B uid 1'],
  ['Jose-pass-ü1', '$S$DQ5ac.AxoJCikEZq77bjJt1SNduOKeYoE71i8CCe9ysHNhyWfczv', 'site B uid 7 (non-ASCII password)'],
  ['wordpress-pass', '$P$BhFNtJc6Wre9kFaxlO7I5d9fNjX5eo0', 'site B uid 15 $P$ (WordPress)'],
  ['phpbb-pass', '$H$9SiptyJU/r/WOqv0Bl4V8mtWVj8yh2/', 'site B uid 16 $H$ (phpBB3)'],
  ['d6-pass', 'U$S$9P.Re8GiLr75.crLEvA4Hclw.RN5W/Vzt0OAt1t/q5teUci04gEO', 'site B uid 17 U$S$ (D6 upgrade)'],
];

test('passwordBase64Encode: phpass little-endian alphabet and lengths', () => {
  assert.equal(ITOA64[0], '.');
  assert.equal(ITOA64[12], 'A');
  assert.equal(ITOA64[38], 'a');
  assert.equal(passwordBase64Encode(Buffer.from([0])), '..');
  assert.equal(passwordBase64Encode(Buffer.from([1])), '/.');
  assert.equal(passwordBase64Encode(Buffer.from([0xff, 0xff, 0xff])), 'zzzz');
  assert.equal(passwordBase64Encode(Buffer.alloc(16)).length, 22);
  assert.equal(passwordBase64Encode(Buffer.alloc(64)).length, 86);
  assert.equal(passwordBase64Encode(Buffer.alloc(2)).length, 3);
});

test('spec vectors: $S$D, $P$B, U$S$D', () => {
  assert.equal(passwordCrypt('sha512', 'password', '$S$Dabcdefgh'), SPEC_S);
  assert.equal(passwordCrypt('md5', 'password', '$P$Babcdefgh'), SPEC_P);
  assert.equal(drupalHash('password', 15, '$S$Dabcdefgh'), SPEC_S);
  assert.equal(drupalCheckPasswordSync('password', SPEC_S), true);
  assert.equal(drupalCheckPasswordSync('password', SPEC_P), true);
  assert.equal(drupalCheckPasswordSync('password', SPEC_U), true);
  assert.equal(drupalCheckPasswordSync('Password', SPEC_S), false);
  assert.equal(drupalCheckPasswordSync('password', SPEC_S.slice(0, -1) + 'x'), false);
  // the U$ hash is the $S$ hash of md5('password')
  const md5 = createHash('md5').update('password').digest('hex');
  assert.equal('U' + passwordCrypt('sha512', md5, '$S$Dabcdefgh'), SPEC_U);
  // U$ means md5 first: the raw password against the unwrapped hash fails
  assert.equal(drupalCheckPasswordSync('password', SPEC_U.slice(1)), false);
});

test('every recorded hash with a known password verifies (async and sync)', async () => {
  for (const [password, hash, where] of RECORDED) {
    assert.equal(await drupalCheckPassword(password, hash), true, where);
    assert.equal(drupalCheckPasswordSync(password, hash), true, where);
  }
  assert.equal(await drupalCheckPassword('secret2', RECORDED[0][1]), false);
  assert.equal(await drupalCheckPassword('alicepass', RECORDED[10][1]), false); // old password (user-ops 26)
  assert.equal(await drupalCheckPassword('jose-pass-ü1', RECORDED[13][1]), false);
});

test('rejections: unknown formats, bad settings, empty, >512 bytes', async () => {
  assert.equal(drupalCheckPasswordSync('password', ''), false);
  assert.equal(drupalCheckPasswordSync('password', md5hex('password')), false); // bare D6 md5: not accepted by D7
  assert.equal(drupalCheckPasswordSync('password', '$2y$10$abcdefghijklmnopqrstuv'), false);
  assert.equal(drupalCheckPasswordSync('password', '$S$'), false);
  assert.equal(drupalCheckPasswordSync('password', '$S$4abcdefgh' + SPEC_S.slice(12)), false); // '4' = log2 6 < 7
  assert.equal(passwordCrypt('sha512', 'password', '$S$4abcdefgh'), null);
  assert.equal(passwordCrypt('sha512', 'password', '$S$Vabcdefgh'), null); // V = 31 > 30
  assert.equal(passwordCrypt('sha512', 'password', '$S$Dabc'), null); // short salt
  assert.equal(passwordCrypt('sha512', 'password', 'xS$Dabcdefgh'), null);
  const long = 'a'.repeat(513);
  assert.equal(passwordCrypt('sha512', long, '$S$7abcdefgh'), null);
  assert.equal(typeof passwordCrypt('sha512', 'a'.repeat(512), '$S$7abcdefgh'), 'string');
  assert.equal(passwordCrypt('sha512', 'é'.repeat(257), '$S$7abcdefgh'), null); // 514 bytes
  assert.equal(drupalHash(long), null);
  assert.equal(await drupalCheckPassword('x', 'U$'), false);
  assert.equal(drupalCheckPasswordSync(undefined as unknown as string, SPEC_S), false);
});

test('drupalHash: fresh $S$D hashes round-trip; async variant identical', async () => {
  const h = drupalHash('correct horse');
  assert.ok(h);
  assert.equal(h.length, DRUPAL_HASH_LENGTH);
  assert.ok(h.startsWith('$S$D'));
  assert.equal(drupalCheckPasswordSync('correct horse', h), true);
  assert.notEqual(drupalHash('correct horse'), h); // random salt
  const salt = Buffer.from([1, 2, 3, 4, 5, 6]);
  assert.equal(await drupalHashAsync('pw', 9, salt), drupalHash('pw', 9, salt));
  assert.equal(await passwordCryptAsync('md5', 'password', '$P$Babcdefgh'), SPEC_P);
  assert.equal(generateDrupalSetting(15, salt).length, 12);
  assert.equal(generateDrupalSetting(3, salt)[3], ITOA64[7]); // clamped
  assert.equal(generateDrupalSetting(99, salt)[3], ITOA64[30]);
  const low = drupalHash('x', 7);
  assert.ok(low?.startsWith('$S$5'));
});

test('drupalHashNeedsRehash: user_needs_new_hash()', () => {
  assert.equal(drupalHashNeedsRehash(SPEC_S), false);
  assert.equal(drupalHashNeedsRehash(SPEC_S, 15), false);
  assert.equal(drupalHashNeedsRehash(SPEC_S, 16), true);
  assert.equal(drupalHashNeedsRehash(SPEC_S, 99), true); // clamped to 30
  assert.equal(drupalHashNeedsRehash(SPEC_P), true);
  assert.equal(drupalHashNeedsRehash(SPEC_U), true);
  assert.equal(drupalHashNeedsRehash('$H$9SiptyJU/r/WOqv0Bl4V8mtWVj8yh2/'), true);
  assert.equal(drupalHashNeedsRehash(SPEC_S.slice(0, 54)), true); // not 55 characters
  assert.equal(drupalHashNeedsRehash('$S$9P.Re8GiLr75.crLEvA4Hclw.RN5W/Vzt0OAt1t/q5teUci04gEO'), true); // 2^11
  assert.equal(drupalHashNeedsRehash('$S$9P.Re8GiLr75.crLEvA4Hclw.RN5W/Vzt0OAt1t/q5teUci04gEO', 11), false);
  assert.equal(isDrupalHash(SPEC_S) && isDrupalHash(SPEC_P) && isDrupalHash(SPEC_U) && isDrupalHash('$H$x'), true);
  assert.equal(isDrupalHash('$argon2id$v=19$m=1,t=1,p=1$a$b') || isDrupalHash(md5hex('x')) || isDrupalHash(''), false);
});

test('cost of one $S$D verification; the async check keeps the event loop responsive', async () => {
  const [password, hash] = RECORDED[0];
  const runs = 5;
  let t = performance.now();
  for (let i = 0; i < runs; i++) drupalCheckPasswordSync(password, hash);
  const syncMs = (performance.now() - t) / runs;
  // measure the longest event-loop stall during async checks
  const gaps: number[] = [];
  let last = performance.now();
  let ticking = true;
  const tick = (): void => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  t = performance.now();
  for (let i = 0; i < runs; i++) await drupalCheckPassword(password, hash);
  const asyncMs = (performance.now() - t) / runs;
  ticking = false;
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`# $S$D verification: sync ${syncMs.toFixed(1)} ms; async ${asyncMs.toFixed(1)} ms wall, ` +
    `${gaps.length} event-loop turns, median stall ${median.toFixed(1)} ms, longest ${sorted[sorted.length - 1].toFixed(1)} ms`);
  // 2^15 rounds in slices of 2048: the loop gets a turn at least ~16 times per check (timings vary on shared CI)
  assert.ok(gaps.length >= runs * 8, `only ${gaps.length} event-loop turns during ${runs} async checks`);
  assert.ok(median < syncMs, `median stall ${median.toFixed(1)} ms is not below one sync check (${syncMs.toFixed(1)} ms)`);
});

function md5hex(s: string): string {
  return createHash('md5').update(s).digest('hex');
}
