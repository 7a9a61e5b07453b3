/**
 * The browser build: `src/client/index.ts` and everything it imports must be bundleable for browsers
 * (no `node:` modules, no tough-cookie), and no SDK file may import from the rest of `src/`. Also the
 * browser client's behaviour with a stand-in `fetch`: credentials included, no Cookie header, and the CSRF
 * retry driven by the body alone (HTTP/2 and browsers may give no reason phrase).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createBrowserClient } from '../../src/client/browser.js';
import { GatehouseClientError } from '../../src/client/errors.js';

const CLIENT_DIR = fileURLToPath(new URL('../../src/client/', import.meta.url));
const specifiers = (file: string): string[] =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);

describe('SDK module graph', () => {
  it('the browser entry (index.ts) reaches only relative SDK modules', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const s of specifiers(file)) {
        assert.ok(s.startsWith('./'), `${path.basename(file)} imports ${s}, which a browser bundle cannot take`);
        visit(path.join(CLIENT_DIR, s.replace(/\.js$/, '.ts')));
      }
    };
    visit(path.join(CLIENT_DIR, 'index.ts'));
    assert.ok(!seen.has(path.join(CLIENT_DIR, 'node.ts')));
  });

  it('no SDK file imports from the rest of src/', () => {
    for (const f of readdirSync(CLIENT_DIR).filter((x) => x.endsWith('.ts'))) {
      for (const s of specifiers(path.join(CLIENT_DIR, f))) assert.ok(!s.startsWith('..'), `${f} imports ${s}`);
    }
  });
});

type Call = { url: string; init: RequestInit };
function fakeFetch(answers: Array<{ status: number; statusText?: string; body: string; type?: string }>, calls: Call[]) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const a = answers.shift();
    if (!a) throw new Error(`unexpected request ${init.method} ${url}`);
    return new Response(a.body, { status: a.status, statusText: a.statusText ?? '', headers: { 'Content-Type': a.type ?? 'application/json' } });
  };
}

describe('browser client (stand-in fetch)', () => {
  it('sends credentials: include, no Cookie, and retries after a CSRF failure known from the body only', async () => {
    const calls: Call[] = [];
    const c = createBrowserClient({
      baseUrl: 'https://site.example/drupal/',
      trace: true,
      fetch: fakeFetch([
        { status: 200, body: '{"sessid":"s","session_name":"SESSx","token":"T1","user":{"uid":"2","name":"alice","roles":{}}}' },
        { status: 401, body: '["CSRF validation failed"]' },
        { status: 200, body: 'T2', type: 'text/plain;charset=UTF-8' },
        { status: 200, body: '{"signature":"x","uid":"2","roles":{"2":"authenticated user"}}' },
      ], calls),
    });
    await c.login('alice', 'alicepass');
    const r = await c.users.update(2, { signature: 'x' });
    assert.equal(r.uid, '2');
    assert.deepEqual(calls.map((x) => `${x.init.method} ${x.url}`), [
      'POST https://site.example/drupal/rest/user/login',
      'PUT https://site.example/drupal/rest/user/2',
      'GET https://site.example/drupal/services/session/token',
      'PUT https://site.example/drupal/rest/user/2',
    ]);
    for (const x of calls) {
      assert.equal(x.init.credentials, 'include');
      assert.equal((x.init.headers as Record<string, string>).Cookie, undefined);
    }
    assert.equal((calls[1].init.headers as Record<string, string>)['X-CSRF-Token'], 'T1');
    assert.equal((calls[3].init.headers as Record<string, string>)['X-CSRF-Token'], 'T2');
    assert.match(c.trace!.render(), /\n2\. PUT https:\/\/site\.example\/drupal\/rest\/user\/2\n(.*\n)*?\s+→ 401\n/);
  });

  it('errors without a reason phrase take their message from the body', async () => {
    const c = createBrowserClient({ baseUrl: 'https://site.example', fetch: fakeFetch([{ status: 406, body: '{"form_errors":{"name":"The name <em class=\\"placeholder\\">bob</em> is already taken."}}' }], []) });
    await assert.rejects(c.users.create({ name: 'bob', mail: 'b@example.com', pass: 'x' }), (err: unknown) => {
      assert.ok(err instanceof GatehouseClientError);
      assert.equal(err.reasonPhrase, '');
      assert.equal(err.message, '406 (The name bob is already taken.)');
      assert.equal(err.formErrors?.name, 'The name <em class="placeholder">bob</em> is already taken.');
      return true;
    });
  });
});
