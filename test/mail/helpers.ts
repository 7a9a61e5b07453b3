// Shared by the outbox worker tests: a temp SQLite database, rows in the outbox, and SMTP servers that
// accept, refuse, or hang.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { OutgoingMail } from '../../src/core/model.js';
import { type DatabaseHandle, openDatabase } from '../../src/storage/database.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { KyselyOutbox } from '../../src/storage/outbox-repository.js';

export interface TempDb { file: string; handle: DatabaseHandle; reopen(): Promise<DatabaseHandle>; cleanup(): Promise<void> }

/** A migrated SQLite file in a temp folder; `reopen()` gives another connection to the same file. */
export async function tempDb(): Promise<TempDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-mail-'));
  const file = path.join(dir, 'db.sqlite');
  const handle = await openDatabase('sqlite:' + file);
  await migrateToLatest(handle.db, handle.dialect);
  const extra: DatabaseHandle[] = [];
  return {
    file,
    handle,
    async reopen() { const h = await openDatabase('sqlite:' + file); extra.push(h); return h; },
    async cleanup() {
      for (const h of [handle, ...extra]) await h.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function mail(i: number, over: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    mailId: 'user_password_reset', to: `user${i}@example.com`, from: 'admin@example.com', subject: `Message ${i}`,
    body: `Hello ${i},\n\nbody\n`, headers: { From: 'Test site <admin@example.com>' }, ...over,
  };
}

export async function enqueue(h: DatabaseHandle, count: number, now: number): Promise<void> {
  const outbox = new KyselyOutbox(h.db);
  for (let i = 1; i <= count; i++) await outbox.enqueue(mail(i), now);
}

export async function rows(h: DatabaseHandle): Promise<any[]> {
  return h.db.selectFrom('outbox').selectAll().orderBy('id').execute();
}

export interface Received { from: string; to: string[]; raw: string; subject: string; messageId: string; text: string }

/** The body of a single-part message, quoted-printable decoded when so encoded. */
function bodyText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  let body = raw.slice(split + 4);
  if (/^Content-Transfer-Encoding: *quoted-printable/im.test(head)) {
    body = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  return body.replace(/\r\n/g, '\n');
}

export interface TestSmtp { port: number; received: Received[]; close(): Promise<void> }

export type SmtpMode =
  | { kind: 'accept'; delayMs?: number }
  | { kind: 'reject'; code: number; message: string }
  /** Takes the message and never answers the end of DATA. */
  | { kind: 'silent-after-data' };

/** An smtp-server on an ephemeral port (no TLS, no auth). */
export async function startSmtp(mode: SmtpMode, port = 0): Promise<TestSmtp> {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (mode.kind === 'reject') {
        const err = new Error(mode.message) as Error & { responseCode: number };
        err.responseCode = mode.code;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const header = (name: string): string => new RegExp(`^${name}: *(.*)$`, 'im').exec(raw)?.[1]?.trim() ?? '';
        const entry: Received = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address), raw, subject: header('Subject'), messageId: header('Message-ID'), text: bodyText(raw),
        };
        if (mode.kind === 'silent-after-data') return; // never answers
        const finish = (): void => { received.push(entry); callback(); };
        if (mode.kind === 'accept' && mode.delayMs) setTimeout(finish, mode.delayMs); else finish();
      });
    },
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', () => resolve()); });
  const address = server.server.address() as net.AddressInfo;
  return {
    port: address.port,
    received,
    close: () => new Promise<void>((resolve) => {
      // smtp-server waits up to closeTimeout for clients; destroy them so tests end promptly.
      for (const conn of (server as unknown as { connections: Set<{ _socket?: net.Socket }> }).connections ?? []) conn._socket?.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A TCP server that accepts connections and never says anything (not even the SMTP greeting). */
export async function startMuteServer(): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const state = { port: 0, connections: 0, close: async () => {} };
  const server = net.createServer((s) => { state.connections++; sockets.add(s); s.on('error', () => undefined); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.port = (server.address() as net.AddressInfo).port;
  state.close = () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); });
  return state;
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A settable clock in Unix seconds. */
export function fakeClock(start = 1_800_000_000): { now: () => number; advance(s: number): void; set(t: number): void } {
  let t = start;
  return { now: () => t, advance: (s) => { t += s; }, set: (v) => { t = v; } };
}
