// Mail as Drupal 7 sends it: the subject and a non-ASCII display name as mime_header_encode() words, a UTF-8
// body in 8 bits with drupal_mail()'s Content-Type, delivered byte for byte over SMTP and into .eml files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { mimeHeaderEncode } from '../../src/mail/drupal-message.js';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import { createEmlFolderTransport } from '../../src/mail/transports/eml-folder.js';
import { createSmtpTransport } from '../../src/mail/transports/smtp.js';
import { KyselyOutbox } from '../../src/storage/outbox-repository.js';
import { fakeClock, mail, startSmtp, tempDb, type TempDb } from './helpers.js';

const dbs: TempDb[] = [];
after(async () => { for (const d of dbs) await d.cleanup(); });

/** Outputs of Drupal 7.100's mime_header_encode() run by PHP 8.2. */
const PHP_MIME_HEADER_ENCODE: Array<[string, string]> = [
  ['Account details for José Müller 山田太郎 محمد علي 😀 at Services peer',
    '=?UTF-8?B?QWNjb3VudCBkZXRhaWxzIGZvciBKb3PDqSBNw7xsbGVyIOWxseeUsOWkqumDjiA=?=\n =?UTF-8?B?2YXYrdmF2K8g2LnZhNmKIPCfmIAgYXQgU2VydmljZXMgcGVlcg==?='],
  ['Account details for 😀😀😀😀😀😀😀😀😀😀😀😀😀😀 at Ærø',
    '=?UTF-8?B?QWNjb3VudCBkZXRhaWxzIGZvciDwn5iA8J+YgPCfmIDwn5iA8J+YgPCfmIA=?=\n =?UTF-8?B?8J+YgPCfmIDwn5iA8J+YgPCfmIDwn5iA8J+YgPCfmIAgYXQgw4Zyw7g=?='],
  ['plain ascii', 'plain ascii'],
  ['Account details for ééééééééééééééééééééééé at peer',
    '=?UTF-8?B?QWNjb3VudCBkZXRhaWxzIGZvciDDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqQ==?=\n =?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6kgYXQgcGVlcg==?='],
];

test('mime_header_encode: 47-byte base64 words, never splitting a character', () => {
  for (const [text, encoded] of PHP_MIME_HEADER_ENCODE) assert.equal(mimeHeaderEncode(text), encoded, text);
});

const SUBJECT = PHP_MIME_HEADER_ENCODE[0];
const BODY = 'José Müller,\n\nusername: José Müller 山田太郎 😀\n\n--  Sité team\n';
/** The head and body drupal_mail() + DefaultMailSystem + PHP mail() give the MTA (Date and Message-ID come from the MTA). */
const expectedMessage = (messageId: string, eol: string): string[] => [
  [
    'To: jose@example.com',
    `Subject: ${SUBJECT[1].replace('\n', eol)}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8; format=flowed; delsp=yes',
    'Content-Transfer-Encoding: 8Bit',
    'X-Mailer: Gatehouse',
    'Sender: site@example.com',
    'From: =?UTF-8?B?U2l0w6k=?= <site@example.com>',
    `Message-ID: ${messageId}`,
  ].join(eol),
  BODY.replace(/\n/g, eol),
];

/** Splits a message at its blank line and drops the Date header (an MTA's clock). */
function headAndBody(raw: string, eol: string): string[] {
  const split = raw.indexOf(`${eol}${eol}`);
  const head = raw.slice(0, split).split(eol).filter((l) => !l.startsWith('Date: ')).join(eol);
  return [head, raw.slice(split + 2 * eol.length)];
}

async function outboxWith(): Promise<TempDb> {
  const d = await tempDb();
  dbs.push(d);
  await new KyselyOutbox(d.handle.db).enqueue(mail(1, { to: 'jose@example.com', from: 'site@example.com', subject: SUBJECT[0], body: BODY, headers: { From: 'Sité <site@example.com>' } }), fakeClock().now());
  return d;
}

test('SMTP delivery carries the bytes Drupal would hand its MTA', async () => {
  const d = await outboxWith();
  const smtp = await startSmtp({ kind: 'accept' });
  try {
    const worker = new OutboxWorker({ ...d.handle, transport: createSmtpTransport({ host: '127.0.0.1', port: smtp.port }), clock: fakeClock().now });
    assert.deepEqual(await worker.drain(), { sent: 1, retried: 0, dead: 0 });
    const got = smtp.received[0];
    assert.deepEqual(headAndBody(got.raw, '\r\n'), expectedMessage(got.messageId, '\r\n'));
    assert.match(got.raw, /\r\nDate: [A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000\r\n/);
    assert.equal(got.from, 'site@example.com', 'envelope sender = Return-Path');
  } finally {
    await smtp.close();
  }
});

test('an .eml file holds the same bytes with LF line ends', async () => {
  const d = await outboxWith();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-eml-'));
  try {
    const worker = new OutboxWorker({ ...d.handle, transport: createEmlFolderTransport(dir), clock: fakeClock().now });
    assert.deepEqual(await worker.drain(), { sent: 1, retried: 0, dead: 0 });
    const [file] = fs.readdirSync(dir);
    const raw = fs.readFileSync(path.join(dir, file), 'utf8');
    const messageId = /^Message-ID: (.*)$/m.exec(raw)?.[1] ?? '';
    assert.deepEqual(headAndBody(raw, '\n'), expectedMessage(messageId, '\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
