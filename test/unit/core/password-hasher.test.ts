import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSync, Algorithm } from '@node-rs/argon2';
import { createFastTestHasher, createPasswordHasher, parseArgon2Hash } from '../../../src/core/passwords/password-hasher.js';

const SPEC_S = '$S$Dabcdefghtds5Q5yJjb43QRxefgfHRs3znZYZRwGCRcZ22.ItBx5';
const SPEC_P = '$P$BabcdefghEP1Dc925xipBv72nvZxoc1';
const SPEC_U = 'U$S$DabcdefghrrQCNTTV4e0lrVngPvNTd4jLl/XinbvBhe0XViLnW85';
const SITE_B_H = '$H$9SiptyJU/r/WOqv0Bl4V8mtWVj8yh2/'; // phpbb-pass

test('fast test hasher: argon2id round trip, wrong password, empty stored', async () => {
  const hasher = createFastTestHasher();
  const h = await hasher.hash('s3cret ü');
  assert.ok(h.startsWith('$argon2id$v=19$m=1024,t=1,p=1$'), h);
  assert.equal(await hasher.verify('s3cret ü', h), true);
  assert.equal(await hasher.verify('s3cret u', h), false);
  assert.equal(await hasher.verify('s3cret ü', ''), false);
  assert.equal(await hasher.verify('', ''), false);
  assert.equal(hasher.needsRehash(h), false);
  assert.notEqual(await hasher.hash('s3cret ü'), h);
});

test('verify dispatches to every Drupal format', async () => {
  const hasher = createFastTestHasher();
  assert.equal(await hasher.verify('password', SPEC_S), true);
  assert.equal(await hasher.verify('password', SPEC_P), true);
  assert.equal(await hasher.verify('password', SPEC_U), true);
  assert.equal(await hasher.verify('phpbb-pass', SITE_B_H), true);
  assert.equal(await hasher.verify('wrong', SPEC_S), false);
  assert.equal(await hasher.verify('password', '5f4dcc3b5aa765d61d8327deb882cf99'), false); // bare md5
  assert.equal(await hasher.verify('password', '$argon2id$garbage'), false);
  assert.equal(await hasher.verify('password', '$2y$10$abcdefghijklmnopqrstuuM5Jx1Yb9l0xJ6m8r1c8a5Yb9l0xJ6m8'), false);
});

test('needsRehash: Drupal formats always; argon2 when weaker or another variant', () => {
  const strong = createPasswordHasher();
  const fast = createFastTestHasher();
  for (const legacy of [SPEC_S, SPEC_P, SPEC_U, SITE_B_H]) {
    assert.equal(strong.needsRehash(legacy), true, legacy);
    assert.equal(fast.needsRehash(legacy), true, legacy);
  }
  const weak = hashSync('x', { algorithm: Algorithm.Argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  assert.equal(strong.needsRehash(weak), true);
  assert.equal(fast.needsRehash(weak), false);
  const argon2i = hashSync('x', { algorithm: Algorithm.Argon2i, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  assert.equal(fast.needsRehash(argon2i), true);
  const stronger = hashSync('x', { algorithm: Algorithm.Argon2id, memoryCost: 2048, timeCost: 2, parallelism: 1 });
  assert.equal(fast.needsRehash(stronger), false);
  assert.equal(createPasswordHasher({ argon2: { memoryCost: 4096, timeCost: 1 } }).needsRehash(stronger), true);
  assert.equal(fast.needsRehash(''), false);
});

test('default hasher: argon2id with the configured parameters (off the event loop)', async () => {
  const hasher = createPasswordHasher({ argon2: { memoryCost: 8192, timeCost: 2, parallelism: 1 } });
  const h = await hasher.hash('pw');
  assert.deepEqual(parseArgon2Hash(h), { variant: 'argon2id', version: 19, m: 8192, t: 2, p: 1 });
  assert.equal(await hasher.verify('pw', h), true);
  assert.equal(hasher.needsRehash(h), false);
  const def = createPasswordHasher();
  const d = await def.hash('pw');
  assert.ok(d.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'), d);
  // an argon2 hash that verifies also verifies through another hasher with other parameters
  assert.equal(await createFastTestHasher().verify('pw', d), true);
});

test('parseArgon2Hash', () => {
  assert.equal(parseArgon2Hash(SPEC_S), null);
  assert.deepEqual(parseArgon2Hash('$argon2i$m=4096,t=3,p=1$c29tZXNhbHQ$aGFzaA'), { variant: 'argon2i', version: 16, m: 4096, t: 3, p: 1 });
});
