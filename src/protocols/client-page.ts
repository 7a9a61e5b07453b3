/**
 * The browser SDK served by the server itself (opt-in, AppOptions.clientPage): `GET /gatehouse/client.js`
 * is `src/client/index.ts` (or the built `dist/client/index.js`) bundled by esbuild as one ES module, and
 * `GET /gatehouse/client-demo` a page that drives it — log in, fetch the token, update the account, log
 * out, register, log out — with the browser handling the session cookie and the SDK the CSRF token. The
 * page reports each step in `#log` and, when done, the outcome as JSON in `#result` (`data-done="1"`).
 *
 * esbuild is a development dependency, so it is loaded only when the option is on.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** The SDK entry next to this module: `../client/index.ts` in a source checkout, `index.js` once built. */
function clientEntry(): string {
  const js = fileURLToPath(new URL('../client/index.js', import.meta.url));
  return fs.existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/** Bundles the browser SDK (no Node built-ins allowed: `platform: 'browser'` fails on any). */
export async function bundleBrowserClient(): Promise<string> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [clientEntry()], bundle: true, format: 'esm', platform: 'browser', target: 'es2020',
    write: false, minify: false, sourcemap: false, logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

const DEMO_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Gatehouse client demo</title></head>
<body><h1>Gatehouse client demo</h1>
<p>Query: <code>?name=…&amp;pass=…&amp;timezone=…&amp;newName=…&amp;newMail=…&amp;newPass=…</code></p>
<ol id="log"></ol><pre id="result"></pre>
<script type="module">
import { createBrowserClient, GatehouseClientError } from './client.js';
const q = new URLSearchParams(location.search);
const log = (text) => { const li = document.createElement('li'); li.textContent = text; document.getElementById('log').append(li); };
const result = { steps: [] };
const step = async (label, fn) => { const value = await fn(); result.steps.push({ label, value }); log(label + ': ' + JSON.stringify(value)); return value; };
const c = createBrowserClient({ baseUrl: location.origin, trace: true });
try {
  await step('login', async () => { const r = await c.login(q.get('name'), q.get('pass')); return { uid: r.user.uid, name: r.user.name, tokenFromLogin: r.token }; });
  await step('token', async () => c.token());
  await step('update', async () => { const r = await c.users.update(result.steps[0].value.uid, { timezone: q.get('timezone') }); return { timezone: r.timezone }; });
  await step('logout', async () => c.logout());
  await step('register', async () => c.register({ name: q.get('newName'), mail: q.get('newMail'), pass: q.get('newPass') }));
  await step('whoami', async () => { const u = await c.whoami(); return { uid: u.uid, name: u.name ?? '' }; });
  await step('logout', async () => c.logout());
  await step('whoami', async () => { const u = await c.whoami(); return { uid: u.uid }; });
  result.ok = true;
} catch (err) {
  result.ok = false;
  result.error = err instanceof GatehouseClientError ? { status: err.status, message: err.message } : String(err);
}
result.requests = c.trace.entries.map((e) => e.method + ' ' + new URL(e.url).pathname + ' → ' + e.response.status);
result.cookieVisible = document.cookie;
const out = document.getElementById('result');
out.textContent = JSON.stringify(result, null, 2);
out.dataset.done = '1';
</script></body></html>
`;

/** Registers `GET /gatehouse/client.js` and `GET /gatehouse/client-demo`; bundles once, at registration. */
export async function clientPage(app: FastifyInstance): Promise<void> {
  const bundle = await bundleBrowserClient();
  app.get('/gatehouse/client.js', async (_req, reply) =>
    reply.header('Content-Type', 'text/javascript; charset=UTF-8').header('Cache-Control', 'no-cache').send(bundle));
  app.get('/gatehouse/client-demo', async (_req, reply) =>
    reply.header('Content-Type', 'text/html; charset=UTF-8').header('Cache-Control', 'no-store').send(DEMO_PAGE));
}
