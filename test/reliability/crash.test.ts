// kill -9 during mixed register/login/update load, then restart on the same SQLite file: every acknowledged
// registration is there exactly once with its welcome mail, no account exists without its mail (nothing half
// done), every acknowledged update is stored (or a later one that was in flight), and the server works.
// Bounded for CI: GATEHOUSE_CRASH_ROUNDS rounds (default 2) of about a second of load each.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { ensureBuilt, startServe } from '../instances/serve-process.js';

const ROUNDS = Number(process.env.GATEHOUSE_CRASH_ROUNDS) || 2;
const CLIENTS = 6;
const ZONES = ['Europe/Paris', 'Asia/Tokyo', 'America/New_York', 'Africa/Cairo', 'Australia/Sydney'];

interface Acked { names: Set<string>; zone: Map<string, { acked: string; inFlight: string | null }> }

async function post(url: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') {
  const r = await fetch(url, { method, headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, json: await r.json().catch(() => null), cookie: (r.headers.getSetCookie()[0] ?? '').split(';')[0] };
}

/** One client: register, log in, update the timezone a few times; records what was acknowledged. */
async function client(url: string, id: string, acked: Acked, stop: () => boolean): Promise<void> {
  for (let i = 0; !stop(); i++) {
    const name = `crash_${id}_${i}`;
    const reg = await post(`${url}/rest/user/register.json`, { name, mail: `${name}@example.com`, pass: 'pw-123456' });
    if (reg.status !== 200) throw new Error(`register ${reg.status} ${JSON.stringify(reg.json)}`);
    acked.names.add(name);
    const login = await post(`${url}/rest/user/login.json`, { username: name, password: 'pw-123456' });
    if (login.status !== 200) throw new Error(`login ${login.status}`);
    const token = await (await fetch(`${url}/services/session/token`, { headers: { Cookie: login.cookie } })).text();
    for (let k = 0; k < 3 && !stop(); k++) {
      const zone = ZONES[(i + k) % ZONES.length];
      const entry = acked.zone.get(name) ?? { acked: 'UTC', inFlight: null };
      entry.inFlight = zone;
      acked.zone.set(name, entry);
      const up = await post(`${url}/rest/user/${login.json.user.uid}.json`, { timezone: zone }, { Cookie: login.cookie, 'X-CSRF-Token': token }, 'PUT');
      if (up.status !== 200) throw new Error(`update ${up.status} ${JSON.stringify(up.json)}`);
      entry.acked = zone;
      entry.inFlight = null;
    }
  }
}

describe('kill -9 under load', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-crash-'));
  const file = path.join(dir, 'g.sqlite');
  const env = {
    DATABASE_URL: `sqlite:${file}`, GATEHOUSE_MAIL_DIR: dir, GATEHOUSE_LOG_LEVEL: 'warn', GATEHOUSE_REGISTRATIONS_PER_IP: '0',
    GATEHOUSE_VARIABLE_user_register: '1', GATEHOUSE_VARIABLE_user_email_verification: 'false',
  };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`${ROUNDS} rounds: acknowledged writes kept once, nothing half done, mails intact`, async () => {
    ensureBuilt();
    const acked: Acked = { names: new Set(), zone: new Map() };
    for (let round = 0; round < ROUNDS; round++) {
      const serve = await startServe({ env });
      let stopped = false;
      const clients = Array.from({ length: CLIENTS }, (_, c) => client(serve.url, `${round}_${c}`, acked, () => stopped).catch((err: Error) => {
        if (!stopped) throw err; // errors after the kill are the crash itself
      }));
      // Kill once the load is under way (some writes acknowledged), at a random moment after that.
      const start = acked.names.size;
      for (let i = 0; i < 600 && acked.names.size < start + 2; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, Math.random() * 500));
      serve.child.kill('SIGKILL');
      stopped = true;
      await serve.exited;
      await Promise.all(clients);
    }
    assert.ok(acked.names.size >= ROUNDS, `load ran (${acked.names.size} registrations acknowledged)`);

    // Restart once more: the server comes up on what the crashes left, and serves an acknowledged account.
    const serve = await startServe({ env });
    try {
      const db = new Database(file, { readonly: true });
      const users = db.prepare("select uid, name, timezone from users where name like 'crash_%'").all() as Array<{ uid: number; name: string; timezone: string }>;
      const mails = db.prepare("select recipient from outbox where mail_id = 'user_register_no_approval_required'").all() as Array<{ recipient: string }>;
      db.close();
      const byName = new Map(users.map((u) => [u.name, u]));
      assert.equal(byName.size, users.length, 'one row per name');
      for (const name of acked.names) assert.ok(byName.has(name), `acknowledged registration ${name} kept`);
      const mailCount = new Map<string, number>();
      for (const m of mails) mailCount.set(m.recipient, (mailCount.get(m.recipient) ?? 0) + 1);
      for (const u of users) assert.equal(mailCount.get(`${u.name}@example.com`), 1, `${u.name}: its welcome mail, once (no account without its mail)`);
      assert.equal(mails.length, users.length, 'no mail without its account');
      for (const [name, z] of acked.zone) {
        const stored = byName.get(name)?.timezone;
        assert.ok(stored === z.acked || stored === z.inFlight, `${name}: timezone ${stored}, acknowledged ${z.acked}`);
      }
      const any = [...acked.names][0];
      assert.equal((await post(`${serve.url}/rest/user/login.json`, { username: any, password: 'pw-123456' })).status, 200);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.exited;
    }
  });
});
