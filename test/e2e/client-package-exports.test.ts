/**
 * `gatehouse/client` as a consumer gets it: the SDK compiled with the package's build settings
 * (tsconfig.build.json, declarations on) into a copy of the package with its real package.json, installed
 * as node_modules/gatehouse of a temp project. Node resolves `gatehouse/client` (and `/node`, `/browser`)
 * through `exports`, deep paths stay closed, and TypeScript (NodeNext, strict) finds the types.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-pkg-'));
const pkg = path.join(tmp, 'node_modules/gatehouse');

before(() => {
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
  const tsconfig = path.join(tmp, 'tsconfig.sdk-build.json');
  fs.writeFileSync(tsconfig, JSON.stringify({
    extends: path.join(ROOT, 'tsconfig.build.json'),
    // No Node globals: the SDK must compile without @types/node (node.ts uses only tough-cookie and fetch).
    compilerOptions: { rootDir: path.join(ROOT, 'src'), outDir: path.join(pkg, 'dist'), sourceMap: false, types: [] },
    include: [path.join(ROOT, 'src/client/*.ts')],
  }));
  execFileSync(process.execPath, [TSC, '-p', tsconfig], { stdio: 'pipe' });
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function node(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: tmp, encoding: 'utf8', stdio: 'pipe' }).trim();
}

describe('package exports', () => {
  it('import("gatehouse/client") gives the Node build (cookie jar) with everything the browser entry has', () => {
    const out = node(`const m = await import('gatehouse/client'); const c = m.createNodeClient({ baseUrl: 'http://127.0.0.1:1' });
      console.log(JSON.stringify([typeof m.createNodeClient, typeof m.createBrowserClient, typeof m.GatehouseClientError, c instanceof m.GatehouseClient, c.endpointUrl('user/1')]));`);
    assert.deepEqual(JSON.parse(out), ['function', 'function', 'function', true, 'http://127.0.0.1:1/rest/user/1']);
  });

  it('gatehouse/client/browser has no Node build; gatehouse/client/node is the Node build', () => {
    assert.deepEqual(JSON.parse(node(`const b = await import('gatehouse/client/browser'); const n = await import('gatehouse/client/node');
      console.log(JSON.stringify([typeof b.createBrowserClient, typeof b.createNodeClient, typeof n.createNodeClient]));`)), ['function', 'undefined', 'function']);
  });

  it('paths outside exports are closed', () => {
    assert.throws(() => node(`await import('gatehouse/dist/client/node.js')`), /ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('TypeScript resolves the types (NodeNext, strict)', () => {
    fs.writeFileSync(path.join(tmp, 'consumer.ts'), [
      `import { createNodeClient, GatehouseClientError, type DrupalUser } from 'gatehouse/client';`,
      `import { createBrowserClient } from 'gatehouse/client/browser';`,
      `const c = createNodeClient({ baseUrl: 'http://127.0.0.1:1' });`,
      `export async function me(): Promise<DrupalUser> { return c.users.retrieve(1); }`,
      `export const b = createBrowserClient({ baseUrl: 'http://127.0.0.1:1' });`,
      `export const isError = (e: unknown): boolean => e instanceof GatehouseClientError && e.status === 406;`,
    ].join('\n'));
    fs.writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    const args = [TSC, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--lib', 'es2022,dom', '--types', '', 'consumer.ts'];
    execFileSync(process.execPath, args, { cwd: tmp, stdio: 'pipe' });
    // And it can fail: a wrong use is reported against the declared types.
    fs.writeFileSync(path.join(tmp, 'consumer.ts'), `import { createNodeClient } from 'gatehouse/client';\nexport const n: number = createNodeClient({ baseUrl: 'http://x' }).endpoint;\n`);
    assert.throws(() => execFileSync(process.execPath, args, { cwd: tmp, stdio: 'pipe', encoding: 'utf8' }), (e: { stdout?: string }) => /TS2322/.test(String(e.stdout)));
  });
});
