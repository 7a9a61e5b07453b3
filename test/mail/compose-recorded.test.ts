// Compose vs the mails a real Drupal 7 site sent (the `mails` steps of the shared conformance transcripts):
// with that site's texts as settings, every recorded subject and body is reproduced exactly. The link hash
// depends on the recorded site's secret salt, so it is normalised; ours is checked to be user_pass_rehash().
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { AccountMailKind } from '../../src/core/mail/account-mailer.js';
import type { Account } from '../../src/core/model.js';
import { userPassRehash } from '../../src/core/one-time-link.js';
import { SiteSettings } from '../../src/core/settings/site-settings.js';
import { createAccountMailer } from '../../src/mail/account-mailer.js';
import { DRUPAL7_MAIL_TEXTS, RECORDED_BASE_URL, RECORDED_SITE_SETTINGS } from '../fixtures/drupal7-mail-texts.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRANSCRIPTS = process.env.GATEHOUSE_TRANSCRIPTS ?? path.resolve(REPO_ROOT, '../shared/conformance');
const SCENARIOS = ['seed-register', 'user-ops', 'register-verification-approval'];

interface RecordedMail {
  id: string; to: string; from: string; subject: string; body: string;
  params: { account: Record<string, unknown> };
}

function recordedMails(): Array<{ where: string; mail: RecordedMail }> {
  const out: Array<{ where: string; mail: RecordedMail }> = [];
  for (const scenario of SCENARIOS) {
    const steps = JSON.parse(fs.readFileSync(path.join(TRANSCRIPTS, `${scenario}.json`), 'utf8')) as Array<{ step: number; title: string; action?: string }>;
    for (const s of steps) {
      if (s.title !== 'mails' || !s.action) continue;
      (JSON.parse(s.action) as RecordedMail[]).forEach((mail, i) => out.push({ where: `${scenario} step ${s.step} #${i}`, mail }));
    }
  }
  return out;
}

function toAccount(a: Record<string, unknown>): Account {
  const int = (v: unknown): number => (v === true ? 1 : v === false || v === null || v === undefined ? 0 : Number(v));
  return {
    uid: int(a.uid), name: String(a.name), pass: String(a.pass), mail: String(a.mail), theme: String(a.theme ?? ''),
    signature: String(a.signature ?? ''), signature_format: (a.signature_format as string | null) ?? null,
    created: int(a.created), changed: int(a.changed), access: int(a.access), login: int(a.login), status: int(a.status),
    timezone: (a.timezone as string | null) ?? null, language: String(a.language ?? ''), picture: int(a.picture),
    init: String(a.init ?? ''), data: null,
  };
}

const LINK = /(\/user\/reset\/(\d+)\/(\d+)\/)([A-Za-z0-9_-]{43})/g;
const normalise = (body: string): string => body.replace(LINK, '$1<hash>');

const mails = recordedMails();
const keys = { privateKey: 'test-private-key', hashSalt: 'test-hash-salt' };
const settings = SiteSettings.of({ ...RECORDED_SITE_SETTINGS, ...DRUPAL7_MAIL_TEXTS });
const mailer = createAccountMailer();

test('the transcripts hold the recorded mails', () => {
  assert.ok(mails.length >= 15, `found ${mails.length}`);
  const kinds = new Set(mails.map((m) => m.mail.id));
  for (const k of ['user_register_no_approval_required', 'user_password_reset', 'user_register_pending_approval', 'user_register_pending_approval_admin']) {
    assert.ok(kinds.has(k), k);
  }
});

for (const { where, mail } of mails) {
  test(`compose reproduces ${mail.id} (${where})`, () => {
    const account = toAccount(mail.params.account);
    const link = /\/user\/reset\/\d+\/(\d+)\//.exec(mail.body);
    const now = link ? Number(link[1]) : account.created;
    const password = mail.params.account.password === undefined ? undefined : String(mail.params.account.password);
    const kind = mail.id.replace(/^user_/, '') as AccountMailKind;
    const out = mailer.compose(kind, account, { settings, keys, baseUrl: RECORDED_BASE_URL, now, password });

    assert.equal(out.mailId, mail.id);
    assert.equal(out.to, mail.to);
    assert.equal(out.from, mail.from);
    assert.equal(out.subject, mail.subject);
    assert.equal(normalise(out.body), normalise(mail.body));
    assert.equal(out.headers?.From, 'Services peer <admin@example.com>');
    // Our link carries our own, working hash.
    for (const m of out.body.matchAll(LINK)) {
      const expected = userPassRehash({ passHash: account.pass, timestamp: now, login: account.login, uid: account.uid, mail: account.mail, hashSalt: keys.hashSalt });
      assert.equal(m[2], String(account.uid));
      assert.equal(m[3], String(now));
      assert.equal(m[4], expected);
    }
  });
}
