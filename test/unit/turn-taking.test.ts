// Large bodies are parsed one per turn of the event loop (src/lib/turn-taking.ts): whatever is waiting,
// each waiter gets a turn of its own, and I/O (here: a ticker counting turns) runs between them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TurnTaking } from '../../src/lib/turn-taking.js';
import { LARGE_BODY_BYTES, parseRequestBody } from '../../src/protocols/services3/parsers/index.js';

it('lets one waiter through per turn of the event loop', async () => {
  let turns = 0;
  let ticking = true;
  const tick = () => { turns++; if (ticking) setImmediate(tick); };
  setImmediate(tick);
  const turnTaking = new TurnTaking();
  const seen = await Promise.all(Array.from({ length: 5 }, () => turnTaking.turn().then(() => turns)));
  ticking = false;
  assert.equal(new Set(seen).size, 5, `each waiter in a turn of its own: ${seen.join(', ')}`);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  assert.equal(turnTaking.size, 0);
});

it('parses a large body the same as a small one, after waiting its turn', async () => {
  const name = 'x'.repeat(LARGE_BODY_BYTES);
  const body = Buffer.from(JSON.stringify({ name, mail: 'a@example.com' }));
  assert.ok(body.length >= LARGE_BODY_BYTES);
  const parsed = await parseRequestBody({ contentType: 'application/json', body, enabled: ['application/json'], limits: { maxDepth: 4, maxItems: 10, maxAttributes: 1, maxXmlBytes: 1, maxValueChars: LARGE_BODY_BYTES } });
  assert.deepEqual(parsed, { name, mail: 'a@example.com' });
});
