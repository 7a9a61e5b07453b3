#!/usr/bin/env node
// Runs every test file (test/**/*.test.ts) with node's test runner through tsx.
// Usage: node scripts/run-tests.mjs [substring filters…]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p);
    else if (entry.name.endsWith('.test.ts')) files.push(path.relative(root, p));
  }
})(path.join(root, 'test'));
const selected = files.sort().filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (selected.length === 0) { console.error('no test files matched'); process.exit(1); }
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...selected], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
