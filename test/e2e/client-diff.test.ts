/**
 * `gatehouse client diff`: the same sequences against two servers. Two replays of the recorded site answer
 * the same; a planted difference (status line, body key, cookie) is reported; two Gatehouse servers
 * (test/helpers/test-server.ts) answer the same.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runClientCli } from '../../src/cli/commands/client.js';
import { DIFF_SEQUENCES, diffServers } from '../../src/client/diff.js';
import { createNodeClient } from '../../src/client/node.js';
import { startTestServer } from '../helpers/test-server.js';
import { loadScenario, startTranscriptServer, type TranscriptServer } from '../helpers/transcript-server.js';

const servers: Array<{ close(): Promise<void> }> = [];
after(async () => { await Promise.all(servers.map((s) => s.close())); });
async function replay(steps = loadScenario('seed-login')): Promise<TranscriptServer> {
  const s = await startTranscriptServer(steps, { reuse: true });
  servers.push(s);
  return s;
}
const only = (...names: string[]) => DIFF_SEQUENCES.filter((s) => names.includes(s.name));
const makeClient = (baseUrl: string) => createNodeClient({ baseUrl, trace: true });

describe('client diff', () => {
  it('two replays of the same recording answer the same', async () => {
    const [a, b] = [await replay(), await replay()];
    const r = await diffServers({ a: a.url, b: b.url, makeClient, sequences: only('login', 'token', 'retrieve', 'update', 'logout') });
    assert.equal(r.identical, true, JSON.stringify(r.sequences, null, 2));
  });

  it('reports a different status line, body key and cookie', async () => {
    const planted = loadScenario('seed-login').map((s) => {
      if (s.step === 7) return { ...s, response: { ...s.response!, body: s.response!.body.replace('"uid":"1",', '"uid":1,"extra":true,') } };
      if (s.step === 12) return { ...s, response: { ...s.response!, reason: 'Not Acceptable : Not logged in.' } };
      if (s.step === 10) return { ...s, response: { ...s.response!, headers: s.response!.headers.map(([k, v]): [string, string] => [k, v.replace('; HttpOnly', '')]) } };
      return s;
    });
    const [a, b] = [await replay(), await replay(planted)];
    let out = '';
    const code = await runClientCli(['diff', '--a', a.url, '--b', b.url, '--only', 'update,logout'], { out: (t) => void (out += t), err: (t) => void (out += t) });
    assert.equal(code, 1);
    assert.match(out, /≠ update: 3 exchange\(s\)\n\s+2\. PUT \/rest\/user\/1\n\s+body \$\.uid: A "<id:string>", B "<id:number>"\n\s+body \$\.extra: only in B \(true\)/);
    assert.match(out, /≠ logout: /);
    assert.match(out, /set-cookie: A <session-name>: deleted \[httponly; max-age=0; path=\/\] \| B <session-name>: deleted \[max-age=0; path=\/\]/);
    assert.match(out, /status line: A "406 Not Acceptable : User is not logged in\." \| B "406 Not Acceptable : Not logged in\."/);
    assert.match(out, /0\/2 sequences answer the same/);
  });
});

describe('client diff between two Gatehouse servers', () => {
  it('answers the same for every sequence', async () => {
    const [a, b] = [await startTestServer({ preset: 'peer' }), await startTestServer({ preset: 'peer' })];
    servers.push(a, b);
    let out = '';
    const code = await runClientCli(['diff', '--a', a.url, '--b', b.url], { out: (t) => void (out += t) });
    assert.equal(code, 0, out);
    assert.match(out, new RegExp(`${DIFF_SEQUENCES.length}/${DIFF_SEQUENCES.length} sequences answer the same`));
  });
});
