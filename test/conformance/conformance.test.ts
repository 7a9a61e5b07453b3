// The conformance ratchet: every recorded scenario is replayed against a fresh Gatehouse test server, and each
// scenario's number of matching steps must not fall below its figure in ./baseline.json. Raise the figures
// with `npm run conformance -- --update-baseline` (it only ever raises them).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { replayScenario } from './replay.js';
import { listScenarios, REPO_ROOT } from './transcripts.js';

const baseline = JSON.parse(fs.readFileSync(new URL('./baseline.json', import.meta.url), 'utf8')) as Record<string, number>;
const helperExists = fs.existsSync(`${REPO_ROOT}test/helpers/test-server.ts`);

describe('conformance with the recorded Drupal 7 + Services 3.x site (ratchet)', () => {
  for (const name of listScenarios()) {
    const floor = baseline[name] ?? 0;
    it(`${name}: at least ${floor} steps match`, { skip: helperExists ? false : 'test/helpers/test-server.ts missing' }, async () => {
      const r = await replayScenario(name);
      const failing = r.steps.filter((s) => s.status === 'FAIL').map((s) => `  #${s.step} ${s.title}: ${s.diff}`);
      assert.ok(
        r.passed >= floor,
        `${name}: ${r.passed}/${r.compared} steps match, below the baseline of ${floor}. Failing:\n${failing.join('\n')}`,
      );
    });
  }
});
